import type { ScopeLevel } from '../schema/database.ts';

export type ScopeOptions = { commune?: string; province?: string; admin?: boolean };

/** The scope `--commune CODE | --province CODE | --admin` name, shared by tokens and user accounts. */
export function scopeFromOptions(opts: ScopeOptions): { level: ScopeLevel; code: string | null } {
  const chosen = [opts.commune, opts.province, opts.admin].filter(Boolean).length;
  if (chosen !== 1) throw new Error('give exactly one of --commune CODE, --province CODE, --admin');
  if (opts.admin) return { level: 'admin', code: null };
  if (opts.commune) return { level: 'commune', code: opts.commune.padStart(5, '0') };
  return { level: 'province', code: opts.province!.padStart(2, '0') };
}
