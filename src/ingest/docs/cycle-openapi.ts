import { unitLevels } from '../../schema/database.ts';

/** The reporting cycle's paths (SPEC §7) in the OpenAPI description; bodies are JSON. */
export function cyclePaths(errorResponse: (description: string) => object, guarded: Record<number, object>) {
  const json = (properties: Record<string, object>, required: string[]) => ({ required: true, content: { 'application/json': { schema: { type: 'object', properties, required } } } });
  const q = (name: string, schema: object) => ({ name, in: 'query', schema });
  const str = { type: 'string' };
  const target = { form: str, period: str, level: { enum: unitLevels }, unit: str };
  const bad = { 400: errorResponse('a field missing or malformed (details)') };
  const denied = { ...guarded, ...bad, 403: errorResponse('without the approve role, or outside the approver’s province'), 404: errorResponse('no such form, unit or record') };
  const read = { ...guarded, ...bad, 403: errorResponse('without the read role, or outside the caller’s scope') };
  return {
    '/v1/reporting-rates': {
      get: {
        operationId: 'getReportingRates', summary: 'DHIS2-named reporting and on-time rates of a unit and the units below it (role read)',
        parameters: [q('form', str), q('period', str), q('level', { enum: unitLevels }), q('unit', str)],
        responses: { 200: { description: 'expected_reports, actual_reports, actual_reports_on_time, reporting_rate, reporting_rate_on_time (percent), and `below`' }, ...read, 404: errorResponse('no such unit in the period') },
      },
    },
    '/v1/locks': {
      post: { operationId: 'lockPeriod', summary: 'Lock a form and period for a province (role approve)', requestBody: json({ form: str, period: str, province: str }, ['form', 'period', 'province']), responses: { 201: { description: 'the lock' }, 409: errorResponse('already locked'), ...denied } },
      delete: { operationId: 'unlockPeriod', summary: 'Unlock (role approve)', requestBody: json({ form: str, period: str, province: str, reason: str }, ['form', 'period', 'province']), responses: { 200: { description: 'unlocked' }, ...denied } },
    },
    '/v1/lock-exceptions': {
      post: {
        operationId: 'grantLockException', summary: 'Let one commune report one form and period despite a lock or an expiry until a day (role approve, the commune’s province)',
        requestBody: json({ form: str, commune: str, period: str, until: { type: 'string', format: 'date' }, reason: str }, ['form', 'commune', 'period', 'until', 'reason']),
        responses: { 201: { description: 'the exception' }, ...denied },
      },
      get: { operationId: 'listLockExceptions', summary: 'Standing exceptions of the caller’s province (all=true: revoked too)', parameters: [q('form', str), q('period', str), q('all', { enum: ['true', 'false'] })], responses: { 200: { description: 'exceptions' }, ...denied } },
      delete: { operationId: 'revokeLockException', summary: 'Revoke an exception', requestBody: json({ id: { type: 'integer' }, reason: str }, ['id']), responses: { 200: { description: 'revoked' }, ...denied } },
    },
    '/v1/approvals': {
      post: {
        operationId: 'approve', summary: 'Approve a unit’s figures, or mark it missing with a reason (missing: true); a unit waits for every unit below it (role approve)',
        requestBody: json({ ...target, missing: { type: 'boolean' }, reason: str }, ['form', 'period', 'level', 'unit']),
        responses: { 201: { description: 'the approval, with the snapshot version it pins' }, 409: errorResponse('units below not yet approved or marked missing (details.pending), already approved, or figures being recomputed'), ...denied },
      },
      delete: { operationId: 'unapprove', summary: 'Unapprove with a reason; top-down only', requestBody: json({ ...target, reason: str }, ['form', 'period', 'level', 'unit', 'reason']), responses: { 200: { description: 'unapproved' }, 409: errorResponse('the unit above is approved'), ...denied } },
      get: { operationId: 'listApprovals', summary: 'Standing approvals and missing marks of a province’s form and period (role read)', parameters: [q('form', str), q('period', str), q('province', str)], responses: { 200: { description: 'approvals' }, ...read } },
    },
    '/v1/audit': {
      get: {
        operationId: 'getAudit', summary: 'The append-only audit log, newest first: everything for an admin, the own province for a province approver',
        parameters: [q('province', str), q('action', str), q('before', { type: 'integer' }), q('limit', { type: 'integer', maximum: 1000 })],
        responses: { 200: { description: 'entries: who, scope, when, what, reason' }, ...guarded, ...bad, 403: errorResponse('neither an admin nor a province approver') },
      },
    },
  };
}
