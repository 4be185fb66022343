import type { Command } from 'commander';
import { createToken, listTokens, revokeToken } from '../accounts/tokens.ts';
import { createUser, setUserDisabled } from '../accounts/users.ts';
import type { Db } from '../db/connect.ts';
import { defaultRoles } from '../schema/roles.ts';
import { unitVersions } from '../units/unit-eras.ts';
import { scopeFromOptions, scopeName, type ScopeOptions } from './scope-option.ts';
import { formatTable } from './table.ts';
import type { WithDb } from './with-db.ts';

const rolesHelp =
  'submit, read, approve, admin (default: commune submit+read, province read, national read; admin has all)';

/**
 * `tonghop token …` (API tokens for machines) and `tonghop user …` (accounts for people).
 * `newPassword`: an account's password, from where the command line takes it (TONGHOP_PASSWORD, a prompt, stdin).
 */
export function registerAccountCommands(program: Command, withDb: WithDb, newPassword: () => Promise<string>): void {
  const tokens = program.command('token').description('API tokens for machines');
  tokens
    .command('create')
    .description('create an API token; it is shown once and stored hashed')
    .option('--commune <code>', 'a commune token: submits and reads for that commune only')
    .option(
      '--province <code>',
      'a province token: reads the communes of that province (submits and approves with --role)',
    )
    .option('--national', 'a national token: the whole country, with the roles given (read when none)')
    .option('--admin', 'an admin token: the whole country with every role, including /admin/queues')
    .option('--label <text>', 'what the token is for (shown by `token list`)')
    .option('--role <roles...>', rolesHelp)
    .action(async (opts: ScopeOptions & { label?: string }) => {
      const { roles, ...scope } = scopeFromOptions(opts);
      const { id, token } = await withDb(async (db) => {
        await requireKnownUnit(db, scope);
        return createToken(db, { ...scope, label: opts.label, roles });
      });
      process.stdout.write(`${token}\n`);
      process.stderr.write(
        `token ${id} (${scopeName(scope.level)}${scope.code ? ` ${scope.code}` : ''}) created with roles ${roles.join(', ')}; it is not shown again\n`,
      );
    });
  tokens
    .command('revoke <id>')
    .description('revoke a token at once: its next request gets 401')
    .action(async (id: string) => {
      if (!/^\d+$/u.test(id)) throw new Error(`not a token id: ${id} (see \`tonghop token list\`)`);
      const revoked = await withDb((db) => revokeToken(db, Number(id), new Date()));
      if (!revoked) throw new Error(`no active token ${id}`);
      process.stdout.write(`token ${id} revoked\n`);
    });
  tokens
    .command('list')
    .description('list tokens: id, scope, label, created, revoked (never the secret)')
    .action(async () => {
      const rows = await withDb((db) => listTokens(db));
      process.stdout.write(
        `${formatTable(
          ['id', 'scope', 'code', 'label', 'created', 'revoked', 'roles'],
          rows.map((t) => [
            t.id,
            scopeName(t.scope_level),
            t.scope_code,
            t.label,
            t.created_at.toISOString(),
            t.revoked_at?.toISOString() ?? null,
            (t.roles ?? defaultRoles(t.scope_level)).join(','),
          ]),
        )}\n`,
      );
    });

  const user = program.command('user').description('accounts for people, who log in to the web pages');
  user
    .command('create')
    .description(
      'create an account; the password comes from TONGHOP_PASSWORD, a terminal prompt, or the first line of standard input',
    )
    .requiredOption('--username <name>', 'the name the person logs in with')
    .option('--commune <code>', 'a commune officer')
    .option('--province <code>', 'a province analyst')
    .option('--national', 'a national analyst or approver: the whole country, with the roles given (read when none)')
    .option('--admin', 'an operator or administrator: the whole country with every role')
    .option('--role <roles...>', rolesHelp)
    .action(async (opts: ScopeOptions & { username: string }) => {
      const { roles, ...scope } = scopeFromOptions(opts);
      const { id } = await withDb(async (db) => {
        await requireKnownUnit(db, scope);
        const password = await newPassword();
        return createUser(db, { username: opts.username, password, ...scope, roles });
      });
      process.stdout.write(
        `user ${opts.username} (${id}, ${scopeName(scope.level)}${scope.code ? ` ${scope.code}` : ''}) created with roles ${roles.join(', ')}\n`,
      );
    });
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(name)
      .description(
        disabled ? 'stop an account from logging in, and end its sessions now' : 'let a disabled account log in again',
      )
      .requiredOption('--username <name>', "the account's login name")
      .action(async (opts: { username: string }) => {
        const found = await withDb((db) => setUserDisabled(db, opts.username, disabled, new Date()));
        if (!found) throw new Error(`no user ${opts.username}`);
        process.stdout.write(`user ${opts.username} ${name}d\n`);
      });
  }
}

/** A token or account for a unit no era knows would open nothing: refuse it (a typo, or units not imported yet). */
async function requireKnownUnit(db: Db, scope: { level: string; code: string | null }): Promise<void> {
  if (scope.level !== 'commune' && scope.level !== 'province') return;
  if ((await unitVersions(db, scope.level, scope.code!)).length > 0) return;
  throw new Error(
    `no ${scope.level} ${scope.code} in any era's units (import them first: tonghop units import --builtin)`,
  );
}
