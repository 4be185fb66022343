import type { Db } from '../db/connect.ts';
import type { Role, ScopeLevel } from '../schema/database.ts';
import { defaultRoles } from '../schema/roles.ts';
import { audit, cliActor, type Actor } from '../cycle/audit.ts';
import { hashPassword, passwordProblem } from './password.ts';

export type NewUser = {
  username: string;
  password: string;
  level: ScopeLevel;
  code: string | null;
  roles?: readonly Role[];
};

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,62}$/iu;

/** Creates a person's account with the scope a token of the same level has; throws on a bad or taken username or a weak password. */
export async function createUser(db: Db, user: NewUser, actor: Actor = cliActor()): Promise<{ id: number }> {
  if (!usernamePattern.test(user.username))
    throw new Error('the username must be 2–63 letters, digits, dots, dashes or underscores');
  const problem = passwordProblem(user.password);
  if (problem) throw new Error(problem);
  const taken = await db
    .selectFrom('user_account')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', user.username.toLowerCase()))
    .executeTakeFirst();
  if (taken) throw new Error(`the username ${user.username} is taken`);
  const roles = [...(user.roles ?? defaultRoles(user.level))];
  const passwordHash = await hashPassword(user.password);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('user_account')
      .values({
        username: user.username,
        password_hash: passwordHash,
        scope_level: user.level,
        scope_code: user.code,
        roles,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, actor, [
      {
        action: 'user.create',
        provinceCode: user.level === 'province' ? user.code : null,
        subject: { user: row.id, username: user.username, scope_level: user.level, scope_code: user.code, roles },
        at: new Date(),
      },
    ]);
    return row;
  });
}

/** Disables or enables an account; disabling also ends its open sessions at once. False when there is no such user. */
export async function setUserDisabled(
  db: Db,
  username: string,
  disabled: boolean,
  now: Date,
  actor: Actor = cliActor(),
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const user = await tx
      .updateTable('user_account')
      .set({ disabled_at: disabled ? now : null })
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .returning(['id', 'scope_level', 'scope_code'])
      .executeTakeFirst();
    if (!user) return false;
    await audit(tx, actor, [
      {
        action: disabled ? 'user.disable' : 'user.enable',
        provinceCode: user.scope_level === 'province' ? user.scope_code : null,
        subject: { user: user.id, username },
        at: now,
      },
    ]);
    if (disabled) await tx.deleteFrom('user_session').where('user_id', '=', user.id).execute();
    return true;
  });
}

/** The account a login names, whatever the case of the username. */
export async function findUser(db: Db, username: string) {
  return db
    .selectFrom('user_account')
    .select(['id', 'username', 'password_hash', 'scope_level', 'scope_code', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}
