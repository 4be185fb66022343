import type { querySnapshots } from '../../../read/snapshots.ts';
import type { collectStatus } from '../../status/collect.ts';
import type { dueOf } from '../../due/routes.ts';
import type { lineageOf } from '../../../read/lineage.ts';
import type { reportingOf } from '../../../read/reporting.ts';
import type { submissionsOf } from '../../submissions/history-routes.ts';
import type { Issue } from '../../../schema/issue.ts';
import type { SubmissionStatus, ScopeLevel } from '../../../schema/database.ts';

/** A server value as it arrives over JSON: dates become ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type SnapshotRow = Json<Awaited<ReturnType<typeof querySnapshots>>[number]>;
export type Lineage = Json<Exclude<Awaited<ReturnType<typeof lineageOf>>, null | 'forbidden'>>;
export type Reporting = Json<Awaited<ReturnType<typeof reportingOf>>>;
export type Status = Json<Awaited<ReturnType<typeof collectStatus>>>;
export type Due = Json<Awaited<ReturnType<typeof dueOf>>>;
export type SubmissionList = Json<Awaited<ReturnType<typeof submissionsOf>>>;
export type Period = {
  province_code: string;
  period: string;
  period_end: string;
  snapshot_version: number;
  computed_at: string;
};
/** GET /v1/periods (reporting/routes.ts): the periods with figures, the periods due, the provinces by name. */
export type PeriodList = { periods: Period[]; due: string[]; provinces: { code: string; name: string }[] };

/** GET /v1/submissions/:id (submissions/routes.ts). */
export type SubmissionState = {
  id: number;
  status: SubmissionStatus;
  form: string | null;
  commune: string | null;
  commune_name: string | null;
  period: string | null;
  version: number | null;
  errors: Issue[];
  filename: string | null;
};

/** A file of an upload refused by name (submissions/upload.ts): `message` starts with its name. */
export type Refused = { filename: string | null; archive?: string; code: string; message: { vi: string; en: string } };
/** POST /v1/submissions and POST /v1/validate: each file's outcome, a ZIP archive's files one by one. */
export type Stored = {
  submissions: { id: number; status: SubmissionStatus; filename: string | null; archive?: string }[];
  refused: Refused[];
};
export type Validated = {
  results: {
    filename: string | null;
    archive?: string;
    valid: boolean;
    form: string | null;
    commune: string | null;
    commune_name: string | null;
    period: string | null;
    rows: number | null;
    issues: Issue[];
  }[];
  refused: Refused[];
  /** The files kept to be sent by `check` instead of their bytes (submissions/checked-files.ts). */
  checked: { filename: string | null; check: string; expires_at: string }[];
};
export type SessionBody = { user: { username: string; level: ScopeLevel; code: string | null }; csrf: string };
