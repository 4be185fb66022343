import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The one description of tonghop's tables, as Kysely sees them. Migrations in src/db/migrations
 * create them; every query is typed from here. bigint columns arrive as numbers (db/connect.ts).
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in when an insert leaves it out. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: pg returns it as text (db/connect.ts), in ISO form. */
type DateText = ColumnType<string, string, string>;

export const unitLevels = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof unitLevels)[number];

export const scopeLevels = ['commune', 'province', 'admin'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

/** What a principal may do, beside where (its scope): SPEC §7. */
export const roleNames = ['submit', 'read', 'approve', 'admin'] as const;
export type Role = (typeof roleNames)[number];

export const submissionStatuses = ['queued', 'processing', 'accepted', 'rejected', 'duplicate', 'superseded'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export interface AdminUnitTable {
  id: Generated<number>;
  level: UnitLevel;
  code: string;
  name: string;
  province_code: string;
  district_code: string | null;
  valid_from: DateText;
  valid_to: DateText | null;
}

export interface UnitCrosswalkTable {
  old_code: string;
  new_code: string;
}

export interface FormDefinitionTable {
  seq: Generated<number>;
  code: string;
  version: number;
  valid_from: DateText | null;
  definition: ColumnType<unknown, string, string>;
  digest: string;
  imported_by: string | null;
  imported_at: Generated<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  scope_level: ScopeLevel;
  scope_code: string | null;
  label: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  /** Null: the scope's default roles (schema/roles.ts). */
  roles: ColumnType<Role[] | null, Role[] | null | undefined, Role[] | null>;
}

export interface UserAccountTable {
  id: Generated<number>;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (accounts/password.ts). */
  password_hash: string;
  scope_level: ScopeLevel;
  scope_code: string | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
  /** Null: the scope's default roles (schema/roles.ts). */
  roles: ColumnType<Role[] | null, Role[] | null | undefined, Role[] | null>;
}

export interface UserSessionTable {
  /** SHA-256 of the session id: the id itself lives only in the person's cookie. */
  id_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface LoginFailureTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: Generated<Date>;
}

export interface SubmissionTable {
  id: Generated<number>;
  status: ColumnType<SubmissionStatus, SubmissionStatus | undefined, SubmissionStatus>;
  given_form: string | null;
  given_commune: string | null;
  given_period: string | null;
  form: string | null;
  commune_code: string | null;
  period: string | null;
  period_end: DateText | null;
  province_code: string | null;
  district_code: string | null;
  filename: string | null;
  content_type: string | null;
  byte_size: number;
  sha256: string;
  version: number | null;
  duplicate_of: number | null;
  errors: ColumnType<unknown, string | null, string | null>;
  fingerprint: string | null;
  measures: ColumnType<Record<string, number> | null, string | null, string | null>;
  scope_level: ScopeLevel;
  scope_code: string | null;
  token_id: number | null;
  /** The person who uploaded it, when it came through a login rather than a token. */
  user_id: ColumnType<number | null, number | null | undefined, number | null>;
  attempts: Generated<number>;
  received_at: DefaultedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
  /** The commune deadline of its period, and whether its slot's first accepted version came by it (SPEC §7). */
  deadline: ColumnType<string | null, string | null | undefined, string | null>;
  on_time: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  days_late: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SubmissionFileTable {
  submission_id: number;
  bytes: Buffer;
}

/** A file that passed a check, kept a short while to be sent by its sha256 (migration 0017). */
export interface CheckedFileTable {
  principal: string;
  sha256: string;
  filename: string | null;
  content_type: string | null;
  byte_size: number;
  bytes: Buffer;
  checked_at: Date;
  expires_at: Date;
}

export interface IdempotencyKeyTable {
  principal: string;
  key: string;
  response: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface ReportSlotTable {
  commune_code: string;
  form: string;
  period: string;
  current_submission_id: number;
  last_version: number;
  /** The timeliness verdict of the slot's first accepted version, which later versions keep. */
  first_received_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deadline: ColumnType<string | null, string | null | undefined, string | null>;
  on_time: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  days_late: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ReportRowTable {
  submission_id: number;
  row_no: number;
  row_key: string | null;
  data: ColumnType<Record<string, unknown>, string, string>;
}

export interface RollupDueTable {
  province_code: string;
  period: string;
  due_seq: Generated<number>;
  due_since: DefaultedTimestamp;
}

export interface SnapshotHeadTable {
  province_code: string;
  period: string;
  period_end: DateText;
  snapshot_version: number;
  content_hash: string;
  computed_at: Timestamp;
}

/** Every snapshot version of a province-period and when it was computed, for `as_of` lookups. */
export interface SnapshotVersionTable {
  province_code: string;
  period: string;
  snapshot_version: number;
  computed_at: Timestamp;
}

/** Every recast version of a province-period (rows of its own or an alias) and when it was computed, for `as_of` lookups. */
export interface RecastVersionTable {
  province_code: string;
  period: string;
  recast_version: number;
  computed_at: Timestamp;
}

/** One indicator figure of one unit: what a snapshot row and a recast row both hold. */
interface FigureColumns {
  unit_code: string;
  unit_name: string;
  parent_code: string | null;
  indicator: string;
  /** numeric: exact sums, written as decimal text, read as numbers (db/connect.ts). */
  numerator: ColumnType<number | null, string | number | null, string | number | null>;
  denominator: ColumnType<number | null, string | number | null, string | number | null>;
  value: number | null;
  /** The communes whose reports give the figure's measures (SPEC §6). */
  communes_covered: number;
}

export interface SnapshotRowTable extends FigureColumns {
  province_code: string;
  period: string;
  snapshot_version: number;
  level: UnitLevel;
  communes_reporting: number;
  communes_expected: number;
  computed_at: Timestamp;
}

export interface SnapshotSourceTable {
  province_code: string;
  period: string;
  snapshot_version: number;
  submission_id: number;
  commune_code: string;
  district_code: string | null;
  form: string;
}

export interface CompletenessRowTable {
  province_code: string;
  period: string;
  snapshot_version: number;
  level: UnitLevel;
  unit_code: string;
  form: string;
  expected: number;
  reported: number;
  missing: string[];
}

export interface RollupRunTable {
  id: Generated<number>;
  province_code: string;
  period: string;
  snapshot_version: number | null;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface VillageAssignmentTable {
  old_commune_code: string;
  /** villageKey() of the village's name; '' for the commune office (forms with one row per commune). */
  village_key: string;
  village_name: string;
  new_commune_code: string;
  imported_at: DefaultedTimestamp;
}

export interface RecastHeadTable {
  /** Today's province. */
  province_code: string;
  period: string;
  recast_version: number;
  content_hash: string;
  computed_at: Timestamp;
}

export const recastLevels = ['commune', 'province'] as const;
export type RecastLevel = (typeof recastLevels)[number];

export interface RecastRowTable extends FigureColumns {
  province_code: string;
  period: string;
  recast_version: number;
  level: RecastLevel;
  predecessors_reporting: number;
  predecessors_expected: number;
  /** Predecessor communes split across several of today's communes whose rows are not all assigned; 0 when exact. */
  approximate_for: number;
  computed_at: Timestamp;
}

/** A recast version that is the commune and province rows of a snapshot version of the same province-period. */
export interface RecastAliasTable {
  province_code: string;
  period: string;
  recast_version: number;
  snapshot_version: number;
  computed_at: Timestamp;
}

export interface RecastSourceTable {
  province_code: string;
  period: string;
  recast_version: number;
  submission_id: number;
  commune_code: string;
  form: string;
}

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

/** An analyst's min–max bound on a measure of a form, for a commune or a whole province (SPEC §8). */
export interface QualityBoundTable {
  id: Generated<number>;
  form: string;
  measure: string;
  level: 'commune' | 'province';
  unit_code: string;
  province_code: string;
  min: ColumnType<number | null, string | number | null, string | number | null>;
  max: ColumnType<number | null, string | number | null, string | number | null>;
  set_by: string;
  set_at: Timestamp;
}

/** A data-quality warning a submission was accepted with (SPEC §8). */
export interface QualityWarningTable {
  id: Generated<number>;
  submission_id: number;
  form: string;
  commune_code: string;
  period: string;
  province_code: string;
  code: string;
  measure: string;
  value: ColumnType<number | null, string | number | null, never>;
  expected_low: ColumnType<number | null, string | number | null, never>;
  expected_high: ColumnType<number | null, string | number | null, never>;
  history: ColumnType<{ period: string; value: number }[], string, never>;
  issue: ColumnType<unknown, string, never>;
  created_at: Timestamp;
}

export type QualityWarningView = Omit<Selectable<QualityWarningTable>, 'id' | 'issue'> & { commune_name: string | null; version: number | null; message_vi: string; message_en: string };

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
  'analytics.indicator_snapshot_approved': IndicatorSnapshotView & { form: string; approved_by: string; approved_at: Date; withdrawn: boolean };
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
