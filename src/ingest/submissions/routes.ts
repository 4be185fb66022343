import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { groupCalls } from '../../group-calls.ts';
import { enqueueNormalizeMany } from '../../queue/queues.ts';
import { findForm } from '../../schema/form-registry.ts';
import { issue, issueSchema } from '../../schema/issue.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { normalizeCommuneCode } from '../../workers/normalize/resolve-meta.ts';
import { requireCommuneAccess, requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { mayRead } from './readable.ts';
import { createSubmissionStore, replayIdempotent, type UploadedFile } from './store.ts';

type Upload = { given: RawMeta; files: UploadedFile[] };

// Old Excel (BIFF/OLE2) and other documents are refused at the door, with a message saying what to do.
const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const pdf = Buffer.from('%PDF');

export function checkFileKind(file: UploadedFile): void {
  if (file.bytes.subarray(0, 4).equals(ole2) || /\.xls$/iu.test(file.filename ?? '')) throw new HttpError('TONGHOP_ERR_OLD_EXCEL');
  if (file.bytes.subarray(0, 4).equals(pdf) || /\.(pdf|docx?|odt|ods|png|jpe?g|zip|rar)$/iu.test(file.filename ?? '')) {
    throw new HttpError('TONGHOP_ERR_UNSUPPORTED_FILE');
  }
}

export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw new HttpError('TONGHOP_ERR_NOT_MULTIPART');
  const given: RawMeta = {};
  const files: UploadedFile[] = [];
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        files.push({ filename: part.filename || null, contentType: part.mimetype || null, bytes });
      } else if (part.fieldname === 'form' || part.fieldname === 'commune' || part.fieldname === 'period') {
        const value = String(part.value ?? '').trim();
        if (value !== '') given[part.fieldname] = value;
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new HttpError('TONGHOP_ERR_FILE_TOO_LARGE', [issue('FILE_TOO_LARGE', {}, { limit: maxBytes })]);
    }
    throw error;
  }
  return { given, files };
}

/** Request fields, checked and made canonical; a wrong one is a 400 before anything is stored. */
export function canonicalGiven(given: RawMeta): RawMeta {
  const problems = [];
  const out: RawMeta = {};
  if (given.form !== undefined) {
    const form = findForm(given.form);
    if (form) out.form = form.code;
    else problems.push(issue('META_FORM_UNKNOWN', { value: given.form }));
  }
  if (given.commune !== undefined) {
    const code = normalizeCommuneCode(given.commune);
    if (code) out.commune = code;
    else problems.push(issue('META_COMMUNE_UNKNOWN', { value: given.commune }, { period: given.period ?? '' }));
  }
  if (given.period !== undefined) {
    const period = parsePeriod(given.period);
    if (period) out.period = period.canonical;
    else problems.push(issue('META_PERIOD_INVALID', { value: given.period }));
  }
  if (problems.length > 0) throw new HttpError('TONGHOP_ERR_BAD_REQUEST', problems);
  return out;
}

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] } as const;

export function submissionRoutes(deps: Deps) {
  const store = createSubmissionStore(deps.db);
  // The jobs of uploads stored at about the same time go to Redis in one round trip (group commit).
  const enqueue = groupCalls((ids: number[]) => enqueueNormalizeMany(deps.queues, ids).then(() => ids.map(() => undefined)), 64);
  return async (app: FastifyInstance) => {
    app.post('/v1/submissions', async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request);
      const keyHeader = request.headers['idempotency-key'];
      const idempotencyKey = typeof keyHeader === 'string' && keyHeader.trim() !== '' ? keyHeader.trim().slice(0, 200) : null;
      if (idempotencyKey) {
        const earlier = await replayIdempotent(deps.db, principal, idempotencyKey);
        if (earlier) return reply.code(202).header('idempotent-replay', 'true').send(earlier);
      }
      const upload = await readUpload(request, deps.config.MAX_FILE_BYTES);
      if (upload.files.length === 0) throw new HttpError('TONGHOP_ERR_NO_FILE');
      upload.files.forEach(checkFileKind);
      const given = canonicalGiven(upload.given);
      if (given.commune) await requireCommuneAccess(deps.db, principal, given.commune, vietnamDay(deps.now()));

      const stored = await store(principal, given, upload.files, idempotencyKey, deps.now());
      // After the commit: a lost enqueue is found again by the reconciler, so it may fail here.
      await Promise.all(
        stored.map((s) =>
          enqueue(s.id).catch((error: unknown) => {
            request.log.warn({ submissionId: s.id, err: error }, 'enqueue failed; the reconciler will retry');
          }),
        ),
      );
      request.log.info({ submissionIds: stored.map((s) => s.id), principal: principal.id }, 'submissions stored');
      return reply.code(202).send({ submissions: stored });
    });

    app.get('/v1/submissions/:id', { schema: { params: idParams } }, async (request) => {
      const principal = await requirePrincipal(deps.db, request);
      const id = Number((request.params as { id: string }).id);
      const sub = await deps.db
        .selectFrom('submission')
        .select(['id', 'status', 'form', 'commune_code', 'period', 'given_commune', 'version', 'duplicate_of', 'errors', 'sha256', 'filename', 'byte_size', 'received_at', 'started_at', 'finished_at', 'scope_level', 'scope_code', 'token_id', 'user_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      // Someone else's submission is not found, rather than forbidden: ids are not to be probed.
      if (!sub || !(await mayRead(deps.db, principal, sub, vietnamDay(deps.now())))) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      return {
        id: sub.id,
        status: sub.status,
        form: sub.form,
        commune: sub.commune_code,
        period: sub.period,
        version: sub.version,
        duplicate_of: sub.duplicate_of,
        errors: sub.errors === null ? [] : issueSchema.array().parse(sub.errors),
        sha256: sub.sha256,
        filename: sub.filename,
        byte_size: sub.byte_size,
        received_at: sub.received_at,
        started_at: sub.started_at,
        finished_at: sub.finished_at,
      };
    });
  };
}
