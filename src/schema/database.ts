import type { Insertable, Selectable } from 'kysely';
import type { AdminUnitTable, UnitCrosswalkTable, VillageAssignmentTable } from './tables/units.ts';
import type { ApiTokenTable, UserAccountTable, UserSessionTable, LoginFailureTable } from './tables/accounts.ts';
import type { FormDefinitionTable } from './tables/forms.ts';
import type {
  SubmissionTable,
  SubmissionFileTable,
  CheckedFileTable,
  IdempotencyKeyTable,
  ReportSlotTable,
  ReportRowTable,
} from './tables/submissions.ts';
import type {
  RollupDueTable,
  SnapshotHeadTable,
  SnapshotVersionTable,
  SnapshotRowTable,
  SnapshotSourceTable,
  CompletenessRowTable,
  RollupRunTable,
} from './tables/snapshots.ts';
import type {
  RecastHeadTable,
  RecastRowTable,
  RecastAliasTable,
  RecastSourceTable,
  RecastVersionTable,
} from './tables/recast.ts';
import type { QualityBoundTable, QualityWarningTable, QualityWarningView } from './tables/quality.ts';
import type {
  HolidayTable,
  PeriodLockTable,
  LockExceptionTable,
  ApprovalTable,
  AuditLogTable,
  ReportingRateView,
} from './tables/cycle.ts';

/**
 * The one description of tonghop's tables, as Kysely sees them: here the vocabulary their columns
 * share and the `Database` of every table and view; the tables themselves by concept in
 * src/schema/tables. Migrations in src/db/migrations create them; every query is typed from here.
 * bigint columns arrive as numbers (db/connect.ts).
 */

export const unitLevels = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof unitLevels)[number];

export const scopeLevels = ['commune', 'province', 'admin'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

/** What a principal may do, beside where (its scope): SPEC §7. */
export const roleNames = ['submit', 'read', 'approve', 'admin'] as const;
export type Role = (typeof roleNames)[number];

export const submissionStatuses = ['queued', 'processing', 'accepted', 'rejected', 'duplicate', 'superseded'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export type { AdminUnitTable, UnitCrosswalkTable, VillageAssignmentTable } from './tables/units.ts';
export type { ApiTokenTable, UserAccountTable, UserSessionTable, LoginFailureTable } from './tables/accounts.ts';
export type { FormDefinitionTable } from './tables/forms.ts';
export type {
  SubmissionTable,
  SubmissionFileTable,
  CheckedFileTable,
  IdempotencyKeyTable,
  ReportSlotTable,
  ReportRowTable,
} from './tables/submissions.ts';
export type {
  RollupDueTable,
  SnapshotHeadTable,
  SnapshotVersionTable,
  FigureColumns,
  SnapshotRowTable,
  SnapshotSourceTable,
  CompletenessRowTable,
  RollupRunTable,
} from './tables/snapshots.ts';
export type {
  RecastHeadTable,
  RecastLevel,
  RecastRowTable,
  RecastAliasTable,
  RecastSourceTable,
  RecastVersionTable,
} from './tables/recast.ts';
export type {
  HolidayTable,
  PeriodLockTable,
  LockExceptionTable,
  ApprovalTable,
  AuditLogTable,
  ReportingRateView,
} from './tables/cycle.ts';
export type { QualityBoundTable, QualityWarningTable, QualityWarningView } from './tables/quality.ts';
export { recastLevels } from './tables/recast.ts';

/** The read-only views of schema `analytics` (SPEC §5). */
export type IndicatorSnapshotView = SnapshotRowTable;

export type IndicatorSnapshotRecastView = RecastRowTable & { exact: boolean };

export interface Database {
  admin_unit: AdminUnitTable;
  unit_crosswalk: UnitCrosswalkTable;
  form_definition: FormDefinitionTable;
  api_token: ApiTokenTable;
  user_account: UserAccountTable;
  user_session: UserSessionTable;
  login_failure: LoginFailureTable;
  submission: SubmissionTable;
  submission_file: SubmissionFileTable;
  idempotency_key: IdempotencyKeyTable;
  checked_file: CheckedFileTable;
  report_slot: ReportSlotTable;
  report_row: ReportRowTable;
  rollup_due: RollupDueTable;
  snapshot_head: SnapshotHeadTable;
  snapshot_version: SnapshotVersionTable;
  snapshot_row: SnapshotRowTable;
  snapshot_source: SnapshotSourceTable;
  completeness_row: CompletenessRowTable;
  rollup_run: RollupRunTable;
  quality_bound: QualityBoundTable;
  quality_warning: QualityWarningTable;
  'analytics.quality_warning': QualityWarningView;
  'analytics.indicator_snapshot': IndicatorSnapshotView & { approved: boolean; versions_since_approval: number | null };
  'analytics.indicator_snapshot_approved': IndicatorSnapshotView & {
    form: string;
    approved_by: string;
    approved_at: Date;
    withdrawn: boolean;
  };
  'analytics.reporting_rate': ReportingRateView;
  'analytics.audit_log': AuditLogTable;
  holiday: HolidayTable;
  period_lock: PeriodLockTable;
  lock_exception: LockExceptionTable;
  approval: ApprovalTable;
  audit_log: AuditLogTable;
  'analytics.indicator_snapshot_history': IndicatorSnapshotView;
  'analytics.completeness': CompletenessRowTable;
  village_assignment: VillageAssignmentTable;
  recast_head: RecastHeadTable;
  recast_row: RecastRowTable;
  recast_source: RecastSourceTable;
  recast_alias: RecastAliasTable;
  recast_version: RecastVersionTable;
  'analytics.indicator_snapshot_recast': IndicatorSnapshotRecastView;
  'analytics.indicator_snapshot_recast_history': IndicatorSnapshotRecastView;
}

export type Submission = Selectable<SubmissionTable>;

export type AdminUnit = Selectable<AdminUnitTable>;

export type NewSnapshotRow = Insertable<SnapshotRowTable>;
