import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { groupCalls } from '../../group-calls.ts';
import { enqueueNormalizeGroups, normalizeGroupSize, requestGroupSize } from '../../queue/queues.ts';
import { submissionStatuses } from '../../schema/database.ts';
import { issueSchema } from '../../schema/issue.ts';
import type { Principal } from '../../schema/scope.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requireCommuneAccess, requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { unitNames } from '../../units/lookup.ts';
import { submissionWarnings } from '../../quality/list-warnings.ts';
import { mayRead } from './readable.ts';
import { dropChecked, takeChecked } from './checked-files.ts';
import { guarded, jsonAnswer, refused, withBody } from '../route-schema.ts';
import { sweepSpool } from './spool.ts';
import {
  admitFiles,
  canonicalGiven,
  inArchiveTurn,
  nothingAdmitted,
  uploadFields,
  uploadUnsupported,
  withUpload,
  type Upload,
  type UploadPart,
} from './upload.ts';
import {
  createSubmissionStore,
  isIdempotencyRace,
  replayIdempotent,
  uploadAnswerSchema,
  type UploadAnswer,
} from './store.ts';
import { uploadDigest } from './upload-digest.ts';

const idParams = z.object({
  id: z
    .string()
    .regex(/^[0-9]{1,15}$/u)
    .transform(Number),
});

const submissionAnswer = z.looseObject({
  id: z.number().int(),
  status: z.enum(submissionStatuses),
  version: z.number().int().nullable(),
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
});

export function submissionRoutes(deps: Deps) {
  const store = createSubmissionStore(deps.db);
  // Uploads stored at about the same time go to Redis in one round trip as one job (group commit):
  // under load a job carries many submissions, when idle each its own.
  const enqueueOne = groupCalls(
    (ids: number[]) => enqueueNormalizeGroups(deps.queues, ids).then(() => ids.map(() => undefined)),
    normalizeGroupSize,
  );
  // A request of many files (a ZIP of a province's reports) is its own job.
  const enqueue = (ids: number[]) =>
    ids.length === 1 ? enqueueOne(ids[0]!) : enqueueNormalizeGroups(deps.queues, ids, requestGroupSize);
  const routes: FastifyPluginAsyncZod = async (app) => {
    await sweepSpool();
    const create = {
      operationId: 'createSubmissions',
      summary: 'Upload one or more report files, or ZIP archives of them: each file has its own outcome',
      description:
        'Each file is stored and queued, or refused by name (`refused`: `tên tệp: lý do` / `file name: reason`) ' +
        'while the others go on. A ZIP archive is one submission per report file in it (folders walked; __MACOSX ' +
        'and dot-files skipped; an archive inside it refused). When no file is taken, the request fails with ' +
        'the first refusal’s status and every refusal in `details`.',
      headers: z.object({
        'idempotency-key': z
          .string()
          .max(200)
          .optional()
          .describe('the same key again answers what the first request was answered, storing nothing twice'),
      }),
      readBody: { 'multipart/form-data': uploadFields },
      response: {
        202: jsonAnswer('stored and queued for checking; the files not taken, by name', uploadAnswerSchema),
        ...withBody,
        400: refused(
          'a request field is wrong, too many fields, a malformed or cut-off multipart body, a damaged archive',
        ),
        403: refused('not this principal’s commune, or a session write without its CSRF token'),
        410: refused('a `check` no longer kept (expired, over the cap, or another principal’s): send the file itself'),
        413: refused('file too large, too many files, an archive over its limits'),
        415: refused(uploadUnsupported),
        422: refused('the Idempotency-Key was given before with other files or fields: a new upload needs a new key'),
        503: refused(
          'Postgres is away (restarting, in recovery): nothing stored; send again after Retry-After with the same Idempotency-Key',
        ),
      },
    };
    app.post('/v1/submissions', { schema: create }, async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'submit');
      const keyHeader = request.headers['idempotency-key'];
      const key = typeof keyHeader === 'string' && keyHeader.trim() !== '' ? keyHeader.trim() : null;
      return withUpload(request, deps.config, async (upload) => {
        // The key stands for this request only: it is replayed once what it asks is known to be the same.
        const idempotency = key === null ? null : { key, digest: await uploadDigest(upload) };
        const earlier = idempotency
          ? await replayIdempotent(deps.db, principal, idempotency.key, idempotency.digest)
          : null;
        if (earlier) return reply.code(202).header('idempotent-replay', 'true').send(earlier);
        return answerUpload(request, reply, principal, idempotency, upload);
      });
    });

    /** The rest of an upload once its parts are read: what the handler would do, with the spool files removed after it whatever happens. */
    async function answerUpload(
      request: FastifyRequest,
      reply: FastifyReply,
      principal: Principal,
      idempotency: { key: string; digest: string } | null,
      upload: Upload<UploadPart>,
    ) {
      const replay = () =>
        idempotency ? replayIdempotent(deps.db, principal, idempotency.key, idempotency.digest) : Promise.resolve(null);
      // A file checked a moment ago is named, not sent again: its kept bytes go the same way as an upload's.
      const kept = await takeChecked(deps.db, principal, upload.checks, deps.now()).catch(async (error: unknown) => {
        // Sent a moment ago under this key by a request that has since committed (and forgotten the check): its answer.
        const earlier = await replay();
        if (!earlier) throw error;
        return earlier;
      });
      if (!Array.isArray(kept)) return reply.code(202).header('idempotent-replay', 'true').send(kept);
      // Kept bytes count as sent ones: a request carries no more than an upload of its files could.
      const carried = kept.reduce(
        (sum, f) => sum + f.bytes.length,
        Number(request.headers['content-length'] ?? 0) || 0,
      );
      if (carried > deps.config.MAX_REQUEST_BYTES)
        throw new HttpError('TONGHOP_ERR_REQUEST_TOO_LARGE', { limit: deps.config.MAX_REQUEST_BYTES });
      upload.files.unshift(...kept);
      // A form imported a moment ago through another process: look again before calling it unknown.
      if (upload.given.form !== undefined && !deps.forms.find(upload.given.form)) await deps.forms.refresh();
      const given = canonicalGiven(deps.forms, upload.given);
      if (given.commune) await requireCommuneAccess(deps.db, principal, given.commune, vietnamDay(deps.now()));
      // Each file has its own outcome: those refused are named in the answer, the others stored.
      // Received now, not once its archive's turn comes: a wait past a deadline must not make it late.
      const receivedAt = deps.now();
      const admitAndStore = async () => {
        const admitted = await admitFiles(upload, deps.config);
        if (admitted.files.length === 0) throw nothingAdmitted(admitted);
        return store(
          principal,
          given,
          admitted.files,
          admitted.refused,
          idempotency?.key ?? null,
          receivedAt,
          idempotency?.digest ?? null,
        );
      };
      let answer: UploadAnswer;
      try {
        answer = await inArchiveTurn(upload, admitAndStore);
      } catch (error) {
        // The same key again while its first request was still being stored (a client that stopped waiting and retried): the first one's answer.
        const earlier = isIdempotencyRace(error) ? await replay() : null;
        if (!earlier) throw error;
        return reply.code(202).header('idempotent-replay', 'true').send(earlier);
      }
      const stored = answer.submissions;
      await dropChecked(deps.db, principal, upload.checks);
      // After the commit: a lost enqueue is found again by the reconciler, so it may fail here.
      await enqueue(stored.map((s) => s.id)).catch((error: unknown) => {
        request.log.warn(
          { submissionIds: stored.map((s) => s.id), err: error },
          'enqueue failed; the reconciler will retry',
        );
      });
      request.log.info(
        { submissionIds: stored.map((s) => s.id), refused: answer.refused.length, principal: principal.id },
        'submissions stored',
      );
      return reply.code(202).send(answer);
    }

    const one = {
      operationId: 'getSubmission',
      summary: 'Status of a submission, every error, and the data-quality warnings it was accepted with',
      params: idParams,
      response: {
        200: jsonAnswer('the submission', submissionAnswer),
        ...guarded,
        400: refused('the id is not a number'),
        404: refused('unknown, or not visible to this principal'),
      },
    };
    app.get('/v1/submissions/:id', { schema: one }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const id = request.params.id;
      const sub = await deps.db
        .selectFrom('submission')
        .select([
          'id',
          'status',
          'form',
          'commune_code',
          'period',
          'given_commune',
          'version',
          'duplicate_of',
          'errors',
          'sha256',
          'filename',
          'byte_size',
          'received_at',
          'started_at',
          'finished_at',
          'scope_level',
          'scope_code',
          'token_id',
          'user_id',
          'deadline',
          'on_time',
          'days_late',
          'period_end',
        ])
        .where('id', '=', id)
        .executeTakeFirst();
      // Someone else's submission is not found, rather than forbidden: ids are not to be probed.
      if (!sub || !(await mayRead(deps.db, principal, sub, vietnamDay(deps.now()))))
        throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      const named = sub.commune_code ?? sub.given_commune;
      return {
        id: sub.id,
        status: sub.status,
        form: sub.form,
        commune: sub.commune_code,
        // For the pages, which name a commune rather than show its code.
        commune_name: named ? ((await unitNames(deps.db, 'commune', [named])).get(named) ?? null) : null,
        period: sub.period,
        version: sub.version,
        duplicate_of: sub.duplicate_of,
        errors: sub.errors === null ? [] : issueSchema.array().parse(sub.errors),
        // SPEC §8: what the report was accepted with; never a reason it was refused.
        warnings: await submissionWarnings(deps.db, sub.id),
        sha256: sub.sha256,
        filename: sub.filename,
        byte_size: sub.byte_size,
        received_at: sub.received_at,
        started_at: sub.started_at,
        finished_at: sub.finished_at,
        // SPEC §7: the verdict of the slot's first accepted version, which this version carries.
        deadline: sub.deadline,
        on_time: sub.on_time,
        days_late: sub.days_late,
      };
    });
  };
  return routes;
}
