import type { FormCatalog } from '../../forms/form-catalog.ts';
import { submissionStatuses, unitLevels } from '../../schema/database.ts';
import { issueMessages } from '../../schema/issue.ts';
import { httpErrors } from '../errors.ts';
import { cyclePaths } from './cycle-openapi.ts';

const bilingual = { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } }, required: ['vi', 'en'] };
const issue = {
  type: 'object',
  properties: {
    row: { type: ['integer', 'null'], description: 'row as the spreadsheet numbers it' },
    row_label: { type: 'string', description: 'the row’s name where the form has one (its row_key: the village)' },
    column: { type: ['string', 'null'] },
    value: { type: ['string', 'null'] },
    code: { type: 'string', enum: Object.keys(issueMessages) },
    message: bilingual,
  },
};
/** A file of an upload that was not taken; `message` starts with its name. */
const refusal = {
  type: 'object',
  properties: { filename: { type: ['string', 'null'] }, archive: { type: 'string', description: 'the ZIP archive it came from' }, code: { type: 'string', enum: Object.keys(httpErrors) }, message: bilingual },
};
const error = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string', enum: Object.keys(httpErrors) }, message: bilingual, details: {} } } },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
/** What every route behind a token or session may answer (src/ingest/auth.ts, rate-limit.ts). */
const guarded = {
  401: errorResponse('no valid token or session'),
  429: errorResponse('over the caller’s request or byte budget for the window (Retry-After)'),
};
/** What every request with a body may also answer (the body limit is read before the route). */
const withBody = {
  ...guarded,
  411: errorResponse('no Content-Length'),
  413: errorResponse('the request or a file is larger than the limits allow'),
};
const badQuery = { 400: errorResponse('a query parameter is missing or not valid') };
const q = (name: string, schema: object, description?: string) => ({ name, in: 'query', schema, ...(description ? { description } : {}) });

/**
 * The OpenAPI description of the HTTP interface (SPEC §5), served at /docs; enums come from the
 * code's own tables and, for forms and indicators, from the catalog as it is now.
 */
export const openapiOf = (catalog: FormCatalog) => {
  const forms = catalog.list();
  const indicators = [...new Set(catalog.versions().flatMap((f) => f.indicators.map((i) => i.code)))].sort();
  return {
  openapi: '3.1.0',
  info: { title: 'tonghop', version: '1', description: 'Commune reports in, commune, district and province indicator snapshots out.' },
  // Relative: the document describes the server that serves it, wherever it is installed.
  servers: [{ url: '/', description: 'the tonghop server serving this document' }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'tonghop_session', description: 'a person’s login (POST /v1/session); a write also sends X-CSRF-Token' },
    },
  },
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    '/v1/submissions': {
      get: { operationId: 'listSubmissions', summary: 'A commune’s uploads, every version, newest first', parameters: [q('commune', { type: 'string' }), q('period', { type: 'string' }), q('form', { type: 'string' }), q('status', { enum: submissionStatuses })], responses: { 200: { description: 'submissions' }, ...guarded, ...badQuery, 403: errorResponse('another commune') } },
      post: {
        operationId: 'createSubmissions',
        summary: 'Upload one or more report files, or ZIP archives of them: each file has its own outcome',
        description:
          'Each file is stored and queued, or refused by name (`refused`: `tên tệp: lý do` / `file name: reason`) while the others go on. A ZIP archive is one submission per report file in it (folders walked; __MACOSX and dot-files skipped; an archive inside it refused). When no file is taken, the request fails with the first refusal’s status and every refusal in `details`.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
        requestBody: {
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  file: { type: 'array', items: { type: 'string', format: 'binary' } },
                  form: { type: 'string', enum: forms.map((f) => f.code) },
                  commune: { type: 'string', pattern: '^[0-9]{5}$' },
                  period: { type: 'string', examples: ['2023-Q2', 'Quý II/2023', '2023-06', '2023'] },
                  check: { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{64}$' }, description: 'instead of a file: a file POST /v1/validate kept for this principal (its `checked[].check`), sent without its bytes' },
                },
              },
            },
          },
        },
        responses: {
          202: {
            description: 'stored and queued for checking; the files not taken, by name',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    submissions: {
                      type: 'array',
                      items: { type: 'object', properties: { id: { type: 'integer' }, status: { const: 'queued' }, form: { type: ['string', 'null'] }, commune: { type: ['string', 'null'] }, period: { type: ['string', 'null'] }, sha256: { type: 'string' }, filename: { type: ['string', 'null'] }, archive: { type: 'string' } } },
                    },
                    refused: { type: 'array', items: refusal },
                  },
                },
              },
            },
          },
          ...withBody,
          400: errorResponse('a request field is wrong, too many fields, a malformed or cut-off multipart body, a damaged archive'),
          403: errorResponse('not this principal’s commune, or a session write without its CSRF token'),
          413: errorResponse('file too large, too many files, an archive over its limits'),
          410: errorResponse('a `check` no longer kept (expired, over the cap, or another principal’s): send the file itself'),
          415: errorResponse('not multipart, or no file of a kind the service reads (.xlsx, .csv, .json, .zip of these)'),
          503: errorResponse('Postgres is away (restarting, in recovery): nothing stored; send again after Retry-After with the same Idempotency-Key'),
        },
      },
    },
    '/v1/submissions/{id}': {
      get: {
        operationId: 'getSubmission',
        summary: 'Status of a submission and every error',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: {
            description: 'the submission',
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' }, status: { enum: submissionStatuses }, version: { type: ['integer', 'null'] }, errors: { type: 'array', items: issue } } } } },
          },
          ...guarded,
          400: errorResponse('the id is not a number'),
          404: errorResponse('unknown, or not visible to this principal'),
        },
      },
    },
    '/v1/snapshots': {
      get: {
        operationId: 'getSnapshots',
        summary: 'Indicator figures, current or as of an instant',
        parameters: [
          q('level', { enum: unitLevels }),
          q('unit', { type: 'string' }),
          q('period', { type: 'string' }),
          q('indicator', { type: 'string', enum: indicators }),
          q('province', { type: 'string' }),
          q('as_of', { type: 'string', format: 'date-time' }, 'the snapshot as it stood then'),
          q('boundaries', { enum: ['period', 'current'] }),
          q('format', { enum: ['json', 'csv', 'xlsx'] }),
        ],
        responses: { 200: { description: 'rows of analytics.indicator_snapshot' }, ...guarded, ...badQuery, 404: errorResponse('no such unit in the chosen boundaries') },
      },
    },
    '/v1/completeness': {
      get: {
        operationId: 'getCompleteness',
        summary: 'Expected and reported communes, and which are missing',
        parameters: [q('period', { type: 'string' }), q('level', { enum: unitLevels }), q('unit', { type: 'string' })],
        responses: { 200: { description: 'per form: expected, reported, missing' }, ...guarded, ...badQuery },
      },
    },
    '/v1/session': {
      post: {
        operationId: 'logIn',
        summary: 'Log in: sets the session cookie; returns the user and the CSRF token',
        security: [],
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { username: { type: 'string' }, password: { type: 'string' } }, required: ['username', 'password'] } } } },
        responses: {
          200: { description: 'logged in' },
          ...withBody,
          400: errorResponse('no username or password'),
          401: errorResponse('wrong username or password'),
          403: errorResponse('account disabled'),
          429: errorResponse('too many failed logins (Retry-After)'),
        },
      },
      get: { operationId: 'getSession', summary: 'Who is logged in, and the CSRF token', security: [{ session: [] }], responses: { 200: { description: 'the user' }, ...guarded, 401: errorResponse('no session') } },
      delete: { operationId: 'logOut', summary: 'Log out', security: [{ session: [] }], responses: { 204: { description: 'logged out' }, ...guarded, 403: errorResponse('no CSRF token') } },
    },
    '/v1/validate': {
      post: {
        operationId: 'validateReports',
        summary: 'Check before sending: the same multipart as POST /v1/submissions, judged, no submission stored; a file with something valid is kept a short while to be sent by its check id',
        requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } } } } },
        responses: { 200: { description: 'per file (a ZIP archive’s files one by one): valid, form, commune, period, rows, issues; and the files not taken, by name', content: { 'application/json': { schema: { type: 'object', properties: { results: { type: 'array', items: { type: 'object', properties: { filename: { type: ['string', 'null'] }, archive: { type: 'string' }, valid: { type: 'boolean' }, commune_name: { type: ['string', 'null'] }, issues: { type: 'array', items: issue } } } }, refused: { type: 'array', items: refusal }, checked: { type: 'array', description: 'the files kept to be sent by `check` (a file with something valid in it), until expires_at', items: { type: 'object', properties: { filename: { type: ['string', 'null'] }, check: { type: 'string' }, expires_at: { type: 'string', format: 'date-time' } } } } } } } } },
          ...withBody,
          400: errorResponse('no file, a request field is wrong, too many fields, a malformed multipart body, a damaged archive'),
          403: errorResponse('not this principal’s commune, or a session write without its CSRF token'),
          415: errorResponse('not multipart, or no file of a kind tonghop reads (.xlsx, .csv, .json, a .zip of these)'),
        },
      },
    },
    '/v1/submissions/{id}/file': {
      get: { operationId: 'getSubmissionFile', summary: 'The raw file as uploaded', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'the bytes' }, ...guarded, 403: errorResponse('another commune’s file'), 404: errorResponse('no such submission') } },
    },
    '/v1/due': {
      get: {
        operationId: 'getDue',
        summary: 'What a commune has sent and still owes, by period and form',
        parameters: [q('commune', { type: 'string' })],
        responses: { 200: { description: 'periods with each form’s current version or null' }, ...guarded, ...badQuery, 403: errorResponse('another commune') },
      },
    },
    '/v1/periods': { get: { operationId: 'listPeriods', summary: 'The province-periods with figures that the caller may read', responses: { 200: { description: 'periods' }, ...guarded } } },
    '/v1/reporting': {
      get: {
        operationId: 'getReporting',
        summary: 'Who has reported for a province-period, the missing communes and when each last reported',
        parameters: [q('period', { type: 'string' }), q('province', { type: 'string' }, 'required for an admin')],
        responses: { 200: { description: 'per form and per commune' }, ...guarded, ...badQuery, 403: errorResponse('another province, or a commune principal') },
      },
    },
    '/v1/lineage': {
      get: {
        operationId: 'getLineage',
        summary: 'A figure and the submission versions and raw files it was computed from (SPEC §4.7)',
        parameters: [q('level', { enum: unitLevels }), q('unit', { type: 'string' }), q('period', { type: 'string' }), q('indicator', { type: 'string' }), q('as_of', { type: 'string', format: 'date-time' })],
        responses: { 200: { description: 'figure, form, sources with every version' }, ...guarded, ...badQuery, 403: errorResponse('outside the caller’s scope'), 404: errorResponse('no such figure') },
      },
    },
    '/v1/status': { get: { operationId: 'getStatus', summary: 'Operator status: queue counts, snapshot lag, last rollups, failed jobs (admin)', responses: { 200: { description: 'status' }, ...guarded, 403: errorResponse('not an admin') } } },
    // Public, and it always answers: the linter's 4xx rule is turned off for this one operation (redocly.yaml beside this file).
    '/v1/forms': {
      get: { operationId: 'listForms', summary: 'Form definitions, every version', security: [], responses: { 200: { description: 'forms' } } },
      post: {
        operationId: 'importForms',
        summary: 'Import form definitions (admin; SPEC §6): a JSON definition, a list of them, or YAML',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } }, 'application/yaml': { schema: { type: 'string' } } } },
        responses: {
          200: { description: 'identical to a stored version: nothing changed' },
          201: { description: 'a new version stored' },
          ...withBody,
          400: errorResponse('the body is not JSON or YAML'),
          403: errorResponse('not an admin, or a session write without its CSRF token'),
          422: errorResponse('every problem, with its path'),
        },
      },
    },
    '/v1/forms/{code}/template.xlsx': {
      get: {
        operationId: 'getFormTemplate',
        summary: 'A ready-to-fill template',
        security: [],
        parameters: [{ name: 'code', in: 'path', required: true, schema: { enum: forms.map((f) => f.code) } }],
        responses: { 200: { description: 'xlsx' }, 404: errorResponse('no such form') },
      },
    },
    ...cyclePaths(errorResponse, guarded),
    // Probes answer every request: no 4xx to describe (the 4xx rule is turned off for them in redocly.yaml beside this file).
    '/health/live': { get: { operationId: 'live', summary: 'Liveness: the process answers', security: [], responses: { 200: { description: 'alive' } } } },
    '/health/ready': {
      get: { operationId: 'ready', summary: 'Readiness: Postgres, Redis and migrations', security: [], responses: { 200: { description: 'Postgres, Redis and migrations ready' }, 503: { description: 'not ready' } } },
    },
  },
};
};
