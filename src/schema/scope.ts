import type { ScopeLevel } from './database.ts';

/** Who is acting: a machine's token or a person's account, with one scope model for both (SPEC §5). */
export type Principal = {
  readonly level: ScopeLevel;
  /** The commune or province code; null for an admin. */
  readonly code: string | null;
  /** What idempotency keys and logs name this principal by (`token:12`). */
  readonly id: string;
};

/** May this principal submit and read reports of a commune that lies in this province? */
export function scopeCovers(principal: Pick<Principal, 'level' | 'code'>, unit: { communeCode: string; provinceCodes: readonly string[] }): boolean {
  switch (principal.level) {
    case 'admin':
      return true;
    case 'province':
      return principal.code !== null && unit.provinceCodes.includes(principal.code);
    case 'commune':
      return principal.code === unit.communeCode;
  }
}
