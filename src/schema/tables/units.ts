import type { Generated } from 'kysely';
import type { UnitLevel } from '../database.ts';
import type { DefaultedTimestamp, DateText } from './columns.ts';

/** The administrative units over time (SPEC §2): units, the 2025 crosswalk, and where split communes' villages went. */

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

export interface VillageAssignmentTable {
  old_commune_code: string;
  /** villageKey() of the village's name; '' for the commune office (forms with one row per commune). */
  village_key: string;
  village_name: string;
  new_commune_code: string;
  imported_at: DefaultedTimestamp;
}
