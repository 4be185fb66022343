import type { Db } from '../db/connect.ts';

/**
 * Failed logins counted over a quarter of an hour: a username gets 5 tries (a guesser is slowed to
 * 20 an hour), an address 50 (an office behind one NAT has many officers).
 */
export const loginWindowMs = 15 * 60_000;
const maxPerUsername = 5;
const maxPerAddress = 50;

/**
 * Counts a login attempt before its password is checked, and says how many seconds until one may
 * be tried again (0: go on). The attempt is written as a failure first and the count taken after,
 * so of N requests racing in parallel at most the limit see a count within it: counting after
 * the slow scrypt let 40 parallel guesses all through. A throttled attempt is taken back (it was
 * never tried); one that goes on stays a failure until `clearLoginFailures` forgets it on success.
 */
export async function beginLoginAttempt(db: Db, username: string, ip: string, now: Date): Promise<number> {
  const name = username.toLowerCase();
  const { id } = await db
    .insertInto('login_failure')
    .values({ username: name, ip, at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const since = new Date(now.getTime() - loginWindowMs);
  const wait = async (column: 'username' | 'ip', value: string, max: number) => {
    // Ours among them: the attempt may go on while at most `max` are counted.
    const recent = await db
      .selectFrom('login_failure')
      .select('at')
      .where(column, '=', value)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(max + 1)
      .execute();
    if (recent.length <= max) return 0;
    // Free again when the oldest of the last `max` failures before this one leaves the window.
    return Math.max(1, Math.ceil((recent.at(-1)!.at.getTime() + loginWindowMs - now.getTime()) / 1000));
  };
  const seconds = Math.max(await wait('username', name, maxPerUsername), await wait('ip', ip, maxPerAddress));
  if (seconds > 0) await db.deleteFrom('login_failure').where('id', '=', id).execute();
  else await db.deleteFrom('login_failure').where('at', '<', since).execute();
  return seconds;
}

/** A successful login forgets the username's failures, so an officer who mistyped is not locked out later. */
export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failure').where('username', '=', username.toLowerCase()).execute();
}
