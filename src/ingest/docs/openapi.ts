import { forms } from '../../schema/form-registry.ts';
import { submissionStatuses, unitLevels } from '../../schema/database.ts';
import { issueMessages } from '../../schema/issue.ts';
import { httpErrors } from '../errors.ts';

const bilingual = { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } }, required: ['vi', 'en'] };
const issue = {
  type: 'object',
  properties: {
    row: { type: ['integer', 'null'], description: 'row as the spreadsheet numbers it' },
    column: { type: ['string', 'null'] },
    value: { type: ['string', 'null'] },
    code: { type: 'string', enum: Object.keys(issueMessages) },
    message: bilingual,
  },
};
const error = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string', enum: Object.keys(httpErrors) }, message: bilingual, details: {} } } },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
const q = (name: string, schema: object, description?: string) => ({ name, in: 'query', schema, ...(description ? { description } : {}) });

/** The OpenAPI description of the HTTP interface (SPEC §5), served at /docs; enums come from the code's own tables. */
export const openapi = {
  openapi: '3.1.0',
  info: { title: 'tonghop', version: '1', description: 'Commune reports in, commune, district and province indicator snapshots out.' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/v1/submissions': {
      post: {
        summary: 'Upload one or more report files',
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
                },
                required: ['file'],
              },
            },
          },
        },
        responses: {
          202: {
            description: 'stored; queued for checking',
            content: { 'application/json': { schema: { type: 'object', properties: { submissions: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, status: { const: 'queued' }, form: { type: ['string', 'null'] }, commune: { type: ['string', 'null'] }, period: { type: ['string', 'null'] }, sha256: { type: 'string' } } } } } } } },
          },
          400: errorResponse('a request field is wrong'),
          401: errorResponse('no valid token'),
          403: errorResponse('not this principal’s commune'),
          413: errorResponse('file too large'),
          415: errorResponse('not multipart, or not an .xlsx/.csv/.json file'),
        },
      },
    },
    '/v1/submissions/{id}': {
      get: {
        summary: 'Status of a submission and every error',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: {
            description: 'the submission',
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' }, status: { enum: submissionStatuses }, version: { type: ['integer', 'null'] }, errors: { type: 'array', items: issue } } } } },
          },
          404: errorResponse('unknown, or not visible to this principal'),
        },
      },
    },
    '/v1/snapshots': {
      get: {
        summary: 'Indicator figures, current or as of an instant',
        parameters: [
          q('level', { enum: unitLevels }),
          q('unit', { type: 'string' }),
          q('period', { type: 'string' }),
          q('indicator', { type: 'string', enum: forms.flatMap((f) => f.indicators.map((i) => i.code)) }),
          q('province', { type: 'string' }),
          q('as_of', { type: 'string', format: 'date-time' }, 'the snapshot as it stood then'),
          q('format', { enum: ['json', 'csv'] }),
        ],
        responses: { 200: { description: 'rows of analytics.indicator_snapshot' } },
      },
    },
    '/v1/completeness': {
      get: {
        summary: 'Expected and reported communes, and which are missing',
        parameters: [q('period', { type: 'string' }), q('level', { enum: unitLevels }), q('unit', { type: 'string' })],
        responses: { 200: { description: 'per form: expected, reported, missing' } },
      },
    },
    '/v1/forms': { get: { summary: 'Form definitions', security: [], responses: { 200: { description: 'forms' } } } },
    '/v1/forms/{code}/template.xlsx': {
      get: { summary: 'A ready-to-fill template', security: [], parameters: [{ name: 'code', in: 'path', required: true, schema: { enum: forms.map((f) => f.code) } }], responses: { 200: { description: 'xlsx' } } },
    },
    '/health/live': { get: { security: [], responses: { 200: { description: 'alive' } } } },
    '/health/ready': { get: { security: [], responses: { 200: { description: 'Postgres, Redis and migrations ready' }, 503: { description: 'not ready' } } } },
  },
};
