import { form, province } from './approver-state.ts';
import type { Approval, AuditEntry, LockException, LockState, QualityWarnings, Rates } from './approver-types.ts';
import { api, query } from './api.ts';
import { auditPage } from './audit-section.ts';
import { periodsUpTo } from './period-steps.ts';

/** Periods shown side by side in "over periods". */
const periodsShown = 4;

/** The rates of earlier periods for "over periods"; a period the hierarchy did not have yet is left out. */
export async function history(period: string): Promise<(Rates | null)[]> {
  return Promise.all(
    periodsUpTo(period, periodsShown).map((p) =>
      api<Rates>(`/v1/reporting-rates${query({ form, period: p, level: 'province', unit: province })}`).catch(
        () => null,
      ),
    ),
  );
}

/** Everything the approver page shows of a period, asked for at once; the earlier periods too when the period is spelled canonically. */
export function views(period: string) {
  const past = periodsUpTo(period, periodsShown).length > 1 ? history(period) : null;
  past?.catch(() => undefined);
  return Promise.all([
    api<Rates>(`/v1/reporting-rates${query({ form, period, level: 'province', unit: province })}`),
    api<{ approvals: Approval[] }>(`/v1/approvals${query({ form, period, province })}`),
    api<LockState>(`/v1/locks${query({ form, period, province })}`),
    api<{ exceptions: LockException[] }>(`/v1/lock-exceptions${query({ form, period })}`),
    api<{ entries: AuditEntry[] }>(`/v1/audit${query({ province, limit: auditPage })}`),
    api<QualityWarnings>(`/v1/quality${query({ form, period, province })}`),
    past,
  ]);
}
