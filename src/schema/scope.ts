import type { Role, ScopeLevel } from './database.ts';

/** Who is acting: a machine's token or a person's account, with one scope model for both (SPEC §5). */
export type Principal = {
  readonly level: ScopeLevel;
  /** The commune or province code; null for an admin. */
  readonly code: string | null;
  /** What idempotency keys and logs name this principal by (`token:12`). */
  readonly id: string;
  /** What it may do beside where (SPEC §7); when absent, its scope's defaults (schema/roles.ts). */
  readonly roles?: readonly Role[];
  /** Whom a person reads this as, in an audit row or a refusal: a username or a token's label. */
  readonly name?: string;
};

/**
 * Every code that may act for a unit of some era: its own commune and province codes and, for a
 * unit since merged away (the 2025 reform), the codes of today's communes and provinces it went
 * into. So a token made for today's province also covers the old provinces merged into it, and a
 * commune token its predecessor communes, for their pre-reform periods (src/units/scope-target.ts).
 */
export type ScopeTarget = { readonly communeCodes: readonly string[]; readonly provinceCodes: readonly string[] };

/** May this principal submit and read reports of a unit with this target? */
export function scopeCovers(principal: Pick<Principal, 'level' | 'code'>, target: ScopeTarget): boolean {
  switch (principal.level) {
    case 'admin':
      return true;
    case 'province':
      return principal.code !== null && target.provinceCodes.includes(principal.code);
    case 'commune':
      return principal.code !== null && target.communeCodes.includes(principal.code);
  }
}
