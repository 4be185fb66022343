import type { Db } from '../db/connect.ts';
import { lockKeys } from '../db/advisory-lock.ts';

/**
 * Failed logins counted over a quarter of an hour: a username gets 5 tries (a guesser is slowed to
 * 20 an hour), an address 50 (an office behind one NAT has many officers).
 */
export const loginWindowMs = 15 * 60_000;
const maxPerUsername = 5;
const maxPerAddress = 50;

/**
 * Counts a login attempt before its password is checked, and says how many seconds until one may
 * be tried again (0: go on). The count and the attempt's record happen under advisory locks on the
 * username and the address, so of N requests racing in parallel exactly the limit go on, whatever
 * the interleaving: counting after the slow scrypt let 40 parallel guesses all through, and counting
 * without a lock let a burst of them all see each other and all be refused. A throttled attempt is
 * not recorded (it was never tried); one that goes on stays a failure until `clearLoginFailures`
 * forgets it on success.
 */
export async function beginLoginAttempt(db: Db, username: string, ip: string, now: Date): Promise<number> {
  const name = username.toLowerCase();
  const since = new Date(now.getTime() - loginWindowMs);
  return db.transaction().execute(async (tx) => {
    await lockKeys(tx, [`login:user:${name}`, `login:ip:${ip}`]);
    const wait = async (column: 'username' | 'ip', value: string, max: number) => {
      const recent = await tx
        .selectFrom('login_failure')
        .select('at')
        .where(column, '=', value)
        .where('at', '>', since)
        .orderBy('at', 'desc')
        .limit(max)
        .execute();
      if (recent.length < max) return 0;
      // Free again when the oldest of the last `max` failures leaves the window.
      return Math.max(1, Math.ceil((recent.at(-1)!.at.getTime() + loginWindowMs - now.getTime()) / 1000));
    };
    const seconds = Math.max(await wait('username', name, maxPerUsername), await wait('ip', ip, maxPerAddress));
    if (seconds > 0) return seconds;
    await tx.insertInto('login_failure').values({ username: name, ip, at: now }).execute();
    await tx.deleteFrom('login_failure').where('at', '<', since).execute();
    return 0;
  });
}

/** A successful login forgets the username's failures, so an officer who mistyped is not locked out later. */
export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failure').where('username', '=', username.toLowerCase()).execute();
}
