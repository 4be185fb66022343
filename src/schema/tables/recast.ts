import type { Timestamp } from './columns.ts';
import type { FigureColumns } from './snapshots.ts';

/** Each period's figures on today's units (SPEC §2, recast), versioned like the snapshots. */

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

/** Every recast version of a province-period (rows of its own or an alias) and when it was computed, for `as_of` lookups. */
export interface RecastVersionTable {
  province_code: string;
  period: string;
  recast_version: number;
  computed_at: Timestamp;
}
