import type { ColumnType, Generated } from 'kysely';
import type { ScopeLevel, SubmissionStatus } from '../database.ts';
import type { Timestamp, DefaultedTimestamp, DateText } from './columns.ts';

/** What communes send: each upload, its bytes, idempotency keys, the current version of each (commune, form, period), and the accepted rows. */

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
  /** sha256 of the request the key was first given with (upload-digest.ts); null for keys stored before it was kept. */
  request_digest: ColumnType<string | null, string | null | undefined, string | null>;
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
