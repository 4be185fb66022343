import { roleNames, type Role, type ScopeLevel } from './database.ts';
import type { Principal } from './scope.ts';

/**
 * What a scope may do when nothing else is said (SPEC §7): a commune submits and reads, a province
 * reads, the national scope (`admin` in the database: `--admin` or `--national` on the command
 * line) does everything.
 */
export function defaultRoles(level: ScopeLevel): Role[] {
  if (level === 'admin') return [...roleNames];
  if (level === 'commune') return ['submit', 'read'];
  return ['read'];
}

/** Roles as a CLI or an API names them (`approve,read`), checked, in their canonical order; the scope's defaults when none are named. */
export function rolesFrom(level: ScopeLevel, named: readonly string[] | undefined): Role[] {
  if (!named || named.length === 0) return defaultRoles(level);
  const wanted = new Set(
    named
      .flatMap((n) => n.split(','))
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== ''),
  );
  const unknown = [...wanted].filter((n) => !(roleNames as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')}: the roles are ${roleNames.join(', ')}`);
  return roleNames.filter((r) => wanted.has(r));
}

/**
 * Does the principal hold this role? A principal without stated roles has its scope's defaults.
 * The national scope holds the roles it was given, so a national analyst may read everything and
 * do nothing else; with the admin role it holds them all (SPEC §7: "admin has all"). A province's
 * or a commune's `admin` role gives nothing more: it was never more than a name there.
 */
export function hasRole(principal: Pick<Principal, 'level' | 'roles'>, role: Role): boolean {
  const roles = principal.roles ?? defaultRoles(principal.level);
  return roles.includes(role) || (principal.level === 'admin' && roles.includes('admin'));
}

/**
 * An administrator: the national scope with the admin role. Importing forms, the operator's status
 * and queues, and the whole audit log are theirs; a national principal without the role reads only.
 */
export function isAdministrator(principal: Pick<Principal, 'level' | 'roles'>): boolean {
  return principal.level === 'admin' && hasRole(principal, 'admin');
}
