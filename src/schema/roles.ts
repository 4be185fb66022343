import { roleNames, type Role, type ScopeLevel } from './database.ts';
import type { Principal } from './scope.ts';

/** What a scope may do when nothing else is said (SPEC §7): a commune submits and reads, a province reads, an admin does everything. */
export function defaultRoles(level: ScopeLevel): Role[] {
  if (level === 'admin') return [...roleNames];
  if (level === 'commune') return ['submit', 'read'];
  return ['read'];
}

/** Roles as a CLI or an API names them (`approve,read`), checked, in their canonical order; the scope's defaults when none are named. */
export function rolesFrom(level: ScopeLevel, named: readonly string[] | undefined): Role[] {
  if (level === 'admin') return [...roleNames];
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

/** Does the principal hold this role? An admin scope holds them all; a principal without stated roles has its scope's defaults. */
export function hasRole(principal: Pick<Principal, 'level' | 'roles'>, role: Role): boolean {
  if (principal.level === 'admin') return true;
  return (principal.roles ?? defaultRoles(principal.level)).includes(role);
}
