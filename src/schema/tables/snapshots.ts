import type { ColumnType, Generated } from 'kysely';
import type { UnitLevel } from '../database.ts';
import type { Timestamp, DefaultedTimestamp, DateText } from './columns.ts';

/** What the rollup stores: the province-periods due, each snapshot version with its figures, sources and completeness, and each run. */

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

/** One indicator figure of one unit: what a snapshot row and a recast row both hold. */
export interface FigureColumns {
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
