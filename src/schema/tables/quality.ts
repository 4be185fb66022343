import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Timestamp } from './columns.ts';

/** Data quality (SPEC §8): analysts' bounds, and the warnings a submission was accepted with. */

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

export type QualityWarningView = Omit<Selectable<QualityWarningTable>, 'id' | 'issue'> & {
  commune_name: string | null;
  version: number | null;
  message_vi: string;
  message_en: string;
};
