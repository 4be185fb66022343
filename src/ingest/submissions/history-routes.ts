// The `compress` route option is declared by @fastify/compress (registered in app.ts); the web
// client's typecheck also reads this file, and sees no app.ts.
import type {} from '@fastify/compress';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Deps } from '../../deps.ts';
import { submissionStatuses } from '../../schema/database.ts';
import { parsePeriod } from '../../schema/period.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { readableEras, type CommuneEras } from '../../read/read-scope.ts';
import { requirePrincipal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { badRequest, communeField, guarded, jsonAnswer, refused } from '../route-schema.ts';
import { fileKind, kindMedia } from '../../report/read/file-kind.ts';
import { mayRead } from './readable.ts';

const listQuery = z.object({
  commune: communeField,
  period: z.string().max(40).optional(),
  form: z.string().max(40).optional(),
  status: z.enum(submissionStatuses).optional(),
});

// Any id is looked up, and one that is not digits is not found (404, not 400): these links are passed between people.
const idParams = z.object({ id: z.string() });
// Digits only: Number() would read `0x10` as 16 and `1e1` as 10, so one file would answer to many ids.
const fileId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/u)
  .transform(Number);

/**
 * Every upload for a commune (the commune its file named, or else the one the upload gave), newest
 * first, of the periods whose hierarchy the reader covers (a period not known yet: the code's latest era).
 */
export async function submissionsOf(db: Db, q: z.infer<typeof listQuery>, scope: CommuneEras) {
  let query = db
    .selectFrom('submission')
    .select((eb) => [
      'id',
      'status',
      'form',
      'commune_code',
      'given_commune',
      'period',
      'version',
      'duplicate_of',
      'filename',
      'byte_size',
      'sha256',
      'received_at',
      'finished_at',
      'deadline',
      'on_time',
      'days_late',
      eb.fn.coalesce(eb.fn<number>('jsonb_array_length', ['errors']), eb.lit(0)).as('error_count'),
    ])
    .where((eb) => eb(eb.fn.coalesce('commune_code', 'given_commune'), '=', q.commune));
  if (!scope.all) {
    const latestReadable = scope.latest !== null && scope.eras.some((e) => e.validFrom === scope.latest!.validFrom);
    query = query.where((eb) =>
      eb.or([
        ...scope.eras.map((e) =>
          eb.and([eb('period_end', '>=', e.validFrom), eb('period_end', '<=', e.validTo ?? '9999-12-31')]),
        ),
        ...(latestReadable ? [eb('period_end', 'is', null)] : []),
      ]),
    );
  }
  if (q.period) query = query.where('period', '=', parsePeriod(q.period)?.canonical ?? q.period);
  if (q.form) query = query.where('form', '=', q.form.toUpperCase());
  if (q.status) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
  return {
    commune: q.commune,
    submissions: rows.map(({ given_commune, commune_code, ...r }) => ({
      ...r,
      commune: commune_code ?? given_commune,
    })),
  };
}

/** A file name for Content-Disposition: plain ASCII as `filename`, the real name (with its diacritics) as `filename*`. */
function attachment(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/gu, '')
    .replace(/[^\w.\- ]/gu, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what downloadName takes out
const controlCharacters = /[\u0000-\u001f\u007f]/gu;

/**
 * The name a stored file is downloaded under: its own name without folders, ending in the
 * extension of what it is — a CSV uploaded as `bao-cao.html` or `x.exe` downloads as `bao-cao.csv`
 * or `x.csv`, so that no upload opens as a page or a program on the machine that fetches it.
 */
function downloadName(filename: string | null, id: number, extension: string): string {
  const base = (filename ?? '').split(/[/\\]/u).at(-1)!.replace(controlCharacters, '').trim() || `submission-${id}`;
  const stem = base.replace(/\.[^.]*$/u, '') || `submission-${id}`;
  return `${stem}.${extension}`;
}

/** A commune's submissions, every version with its status and times, and the raw file of each. */
export function submissionHistoryRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const list = {
      operationId: 'listSubmissions',
      summary: 'A commune’s uploads, every version, newest first',
      querystring: listQuery,
      response: { 200: jsonAnswer('submissions'), ...guarded, ...badRequest, 403: refused('another commune') },
    };
    app.get('/v1/submissions', { schema: list }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const q = request.query;
      const scope = await readableEras(deps.db, principal, q.commune, vietnamDay(deps.now()));
      if (!scope.all && scope.eras.length === 0) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      return submissionsOf(deps.db, q, scope);
    });

    /**
     * The bytes as uploaded. Out of scope is 403, not the 404 of GET /v1/submissions/:id: these
     * links are passed between people (a lineage page, a message), and the refusal says why.
     */
    const file = {
      operationId: 'getSubmissionFile',
      summary: 'The raw file as uploaded',
      params: idParams,
      response: {
        200: {
          description: 'the bytes, typed by what they are',
          content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
        },
        ...guarded,
        403: refused('another commune’s file'),
        404: refused('no such submission'),
      },
    };
    // The stored bytes as they are, under their sha256 as ETag: never compressed on the way (a compressed answer would need an ETag of its own).
    app.get('/v1/submissions/:id/file', { schema: file, compress: false }, async (request, reply) => {
      const principal = await requirePrincipal(deps.db, request, 'read');
      const parsed = fileId.safeParse(request.params.id);
      if (!parsed.success) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      const sub = await deps.db
        .selectFrom('submission')
        .select(['id', 'filename', 'commune_code', 'given_commune', 'period_end', 'token_id', 'user_id', 'sha256'])
        .where('id', '=', parsed.data)
        .executeTakeFirst();
      if (!sub) throw new HttpError('TONGHOP_ERR_NOT_FOUND');
      if (!(await mayRead(deps.db, principal, sub, vietnamDay(deps.now()))))
        throw new HttpError('TONGHOP_ERR_FORBIDDEN');
      const file = await deps.db
        .selectFrom('submission_file')
        .select('bytes')
        .where('submission_id', '=', sub.id)
        .executeTakeFirstOrThrow();
      // The type is what the bytes are, never what the uploader claimed, and never one a browser renders.
      const media = kindMedia[fileKind(file.bytes, sub.filename)];
      return reply
        .type(media.contentType)
        .header('content-disposition', attachment(downloadName(sub.filename, sub.id, media.extension)))
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${sub.sha256}"`)
        .send(file.bytes);
    });
  };
  return routes;
}
