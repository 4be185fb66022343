import type { Role, ScopeLevel } from '../schema/database.ts';
import { rolesFrom } from '../schema/roles.ts';

export type ScopeOptions = {
  commune?: string;
  province?: string;
  national?: boolean;
  admin?: boolean;
  role?: string[];
};

/**
 * The scope and roles `--commune CODE | --province CODE | --national | --admin` and `--role` name,
 * shared by tokens and user accounts. `--national` is the whole country with the roles given (read
 * when none); `--admin` is the whole country with every role, so a `--role` beside it, which would
 * be ignored, is refused: `--national --role read` is a national analyst.
 */
export function scopeFromOptions(opts: ScopeOptions): { level: ScopeLevel; code: string | null; roles: Role[] } {
  const chosen = [opts.commune, opts.province, opts.national, opts.admin].filter(Boolean).length;
  if (chosen !== 1) throw new Error('give exactly one of --commune CODE, --province CODE, --national, --admin');
  if (opts.admin) {
    if (opts.role && opts.role.length > 0)
      throw new Error('--admin has every role; for fewer roles over the whole country give --national --role …');
    return { level: 'admin', code: null, roles: rolesFrom('admin', undefined) };
  }
  if (opts.national)
    return { level: 'admin', code: null, roles: rolesFrom('admin', opts.role?.length ? opts.role : ['read']) };
  if (opts.commune)
    return { level: 'commune', code: opts.commune.padStart(5, '0'), roles: rolesFrom('commune', opts.role) };
  return { level: 'province', code: opts.province!.padStart(2, '0'), roles: rolesFrom('province', opts.role) };
}

/** How a scope is named to a person: the database's `admin` level is the whole country. */
export function scopeName(level: ScopeLevel): string {
  return level === 'admin' ? 'national' : level;
}
