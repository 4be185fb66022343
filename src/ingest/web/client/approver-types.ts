import type { approvalsOf } from '../../../cycle/approvals.ts';
import type { auditLogOf } from '../../../cycle/audit.ts';
import type { listExceptions } from '../../../cycle/lock-exceptions.ts';
import type { standingLockOf } from '../../../cycle/locks.ts';
import type { listWarnings } from '../../../quality/list-warnings.ts';
import type { reportingRatesOf } from '../../../read/reporting-rates.ts';
import type { Json } from './api-types.ts';

/** What the approver page reads (SPEC §7), as the server functions behind each route return it. */
export type Rates = Json<NonNullable<Awaited<ReturnType<typeof reportingRatesOf>>>>;
export type CommuneRate = Rates['communes'][number];
export type Approval = Json<Awaited<ReturnType<typeof approvalsOf>>[number]>;
export type LockState = { lock: Json<Awaited<ReturnType<typeof standingLockOf>>> };
export type LockException = Json<Awaited<ReturnType<typeof listExceptions>>[number]>;
export type AuditEntry = Json<Awaited<ReturnType<typeof auditLogOf>>[number]>;
export type QualityWarnings = Json<Awaited<ReturnType<typeof listWarnings>>>;
export type QualityWarning = QualityWarnings['warnings'][number];
