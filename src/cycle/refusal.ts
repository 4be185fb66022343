/**
 * Why a reporting-cycle action was not done: bad input is data (STYLE 8), which the HTTP door
 * turns into its error table and the CLI into a message. `details` says what to fix.
 */
export type Refusal = {
  readonly refused: 'forbidden' | 'not_found' | 'conflict' | 'approval_blocked' | 'unapproval_blocked';
  readonly details?: unknown;
};

export const refuse = (refused: Refusal['refused'], details?: unknown): Refusal => ({ refused, details });

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
