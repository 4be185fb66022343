import type { Db } from '../db/connect.ts';

/**
 * Failed logins counted over a quarter of an hour: a username gets 5 tries (a guesser is slowed to
 * 20 an hour), an address 50 (an office behind one NAT has many officers).
 */
export const loginWindowMs = 15 * 60_000;
const maxPerUsername = 5;
const maxPerAddress = 50;

/** Seconds until a login for this username from this address may be tried again; 0 when it may now. */
export async function loginRetryAfter(db: Db, username: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - loginWindowMs);
  const wait = async (column: 'username' | 'ip', value: string, max: number) => {
    const recent = await db.selectFrom('login_failure').select('at').where(column, '=', value).where('at', '>', since).orderBy('at', 'desc').limit(max).execute();
    if (recent.length < max) return 0;
    // Free again when the oldest of the last `max` failures leaves the window.
    return Math.max(1, Math.ceil((recent.at(-1)!.at.getTime() + loginWindowMs - now.getTime()) / 1000));
  };
  return Math.max(await wait('username', username.toLowerCase(), maxPerUsername), await wait('ip', ip, maxPerAddress));
}

export async function recordLoginFailure(db: Db, username: string, ip: string, now: Date): Promise<void> {
  await db.insertInto('login_failure').values({ username: username.toLowerCase(), ip, at: now }).execute();
  await db.deleteFrom('login_failure').where('at', '<', new Date(now.getTime() - loginWindowMs)).execute();
}

/** A successful login forgets the username's failures, so an officer who mistyped is not locked out later. */
export async function clearLoginFailures(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failure').where('username', '=', username.toLowerCase()).execute();
}
