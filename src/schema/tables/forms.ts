import type { ColumnType, Generated } from 'kysely';
import type { DateText } from './columns.ts';

/** The form definitions, every version, as imported (SPEC §6). */

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
