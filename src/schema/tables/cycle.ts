import type { ColumnType, Generated } from 'kysely';
import type { UnitLevel } from '../database.ts';
import type { Timestamp, DefaultedTimestamp, DateText } from './columns.ts';

/** The reporting cycle (SPEC §7): holidays, locks and their exceptions, approvals, the audit log, reporting rates. */

export interface HolidayTable {
  date: DateText;
  kind: 'holiday' | 'workday';
  name: string;
  imported_at: DefaultedTimestamp;
}

export interface PeriodLockTable {
  id: Generated<number>;
  form: string;
  period: string;
  province_code: string;
  locked_by: string;
  locked_by_name: string;
  locked_at: Timestamp;
  unlocked_by: string | null;
  unlocked_at: Timestamp | null;
  reason: string | null;
}

export interface LockExceptionTable {
  id: Generated<number>;
  form: string;
  commune_code: string;
  period: string;
  province_code: string;
  reason: string;
  until: DateText;
  granted_by: string;
  granted_by_name: string;
  granted_at: Timestamp;
  revoked_by: string | null;
  revoked_at: Timestamp | null;
}

export interface ApprovalTable {
  id: Generated<number>;
  form: string;
  period: string;
  level: UnitLevel;
  unit_code: string;
  province_code: string;
  /** `missing`: the unit is known not to report, with a reason, so the level above may be approved. */
  kind: 'approved' | 'missing';
  reason: string | null;
  /** The form's indicators when approved: which snapshot rows the approval covers. */
  indicators: string[];
  snapshot_version: number | null;
  approved_by: string;
  approved_by_name: string;
  approved_at: Timestamp;
  unapproved_by: string | null;
  unapproved_at: Timestamp | null;
  unapprove_reason: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultedTimestamp;
  actor: string;
  actor_name: string | null;
  scope_level: string | null;
  scope_code: string | null;
  province_code: string | null;
  action: string;
  subject: ColumnType<Record<string, unknown>, string, never>;
  reason: string | null;
}

export interface ReportingRateView {
  form: string;
  period: string;
  level: UnitLevel;
  unit_code: string;
  province_code: string;
  expected_reports: number;
  actual_reports: number;
  actual_reports_on_time: number;
  reporting_rate: number;
  reporting_rate_on_time: number;
}
