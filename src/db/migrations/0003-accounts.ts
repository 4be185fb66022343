import { sql, type Kysely } from 'kysely';

/**
 * Accounts for people (SPEC §5): users with the scopes tokens have, their sessions, and the
 * failed logins the rate limit counts. Numbered 0003 because 0002 belongs to another change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_account (
      id bigint generated always as identity primary key,
      username text not null,
      password_hash text not null,
      scope_level text not null check (scope_level in ('commune', 'province', 'admin')),
      scope_code text,
      created_at timestamptz not null default now(),
      disabled_at timestamptz,
      check ((scope_level = 'admin') = (scope_code is null))
    );
    create unique index user_account_username on user_account (lower(username));

    create table user_session (
      id_hash text primary key,
      user_id bigint not null references user_account (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index user_session_user on user_session (user_id);
    create index user_session_expires on user_session (expires_at);

    create table login_failure (
      id bigint generated always as identity primary key,
      username text not null,
      ip text not null,
      at timestamptz not null default now()
    );
    create index login_failure_username on login_failure (username, at);
    create index login_failure_ip on login_failure (ip, at);

    alter table submission add column user_id bigint references user_account (id);
  `.execute(db);
}
