import type { ColumnType, Generated } from 'kysely';
import type { Role, ScopeLevel } from '../database.ts';

/** Who may call: machine tokens, people's accounts, their sessions, failed logins. */

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  scope_level: ScopeLevel;
  scope_code: string | null;
  label: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  /** Null: the scope's default roles (schema/roles.ts). */
  roles: ColumnType<Role[] | null, Role[] | null | undefined, Role[] | null>;
}

export interface UserAccountTable {
  id: Generated<number>;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (accounts/password.ts). */
  password_hash: string;
  scope_level: ScopeLevel;
  scope_code: string | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
  /** Null: the scope's default roles (schema/roles.ts). */
  roles: ColumnType<Role[] | null, Role[] | null | undefined, Role[] | null>;
}

export interface UserSessionTable {
  /** SHA-256 of the session id: the id itself lives only in the person's cookie. */
  id_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface LoginFailureTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: Generated<Date>;
}
