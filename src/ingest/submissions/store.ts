import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { groupCalls } from '../../group-calls.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import type { Principal } from '../../schema/scope.ts';
import { refusalSchema, type Refusal } from './upload.ts';
import { HttpError } from '../errors.ts';

/** A file to store; one taken out of a ZIP archive is named by its path in it, and names the archive. */
export type UploadedFile = { filename: string | null; archive?: string; contentType: string | null; bytes: Buffer };

const storedSubmission = z.object({
  id: z.number().int(),
  status: z.literal('queued'),
  form: z.string().nullable(),
  commune: z.string().nullable(),
  period: z.string().nullable(),
  sha256: z.string(),
  filename: z.string().nullable(),
  archive: z.string().optional(),
});
export type StoredSubmission = z.infer<typeof storedSubmission>;

/** The answer to an upload (202): each file stored, and each refused by name. */
export const uploadAnswerSchema = z.object({ submissions: z.array(storedSubmission), refused: z.array(refusalSchema) });
export type UploadAnswer = z.infer<typeof uploadAnswerSchema>;

/** One file to store, with who sent it and the request fields it came with. */
type NewSubmission = { principal: Principal; given: RawMeta; file: UploadedFile; receivedAt: Date };

const idOf = (principal: Principal, kind: 'token' | 'user') =>
  principal.id.startsWith(`${kind}:`) ? Number(principal.id.slice(kind.length + 1)) : null;

/**
 * Inserts the submission rows and bytes of many files in one statement (atomic on its own),
 * returning their ids in input order. Ids are drawn from the sequence in that order, since an id
 * says which of two reports was received first (acceptance.ts).
 */
async function insertSubmissions(db: Db, items: readonly NewSubmission[]): Promise<StoredSubmission[]> {
  const hashes = items.map((i) => createHash('sha256').update(i.file.bytes).digest('hex'));
  const column = <T>(f: (i: NewSubmission) => T) => items.map(f);
  // `materialized`: the ids are drawn once, then used by both inserts and the answer.
  const { rows } = await sql<{ id: number; ord: number }>`
    with input as materialized (
      select nextval(pg_get_serial_sequence('submission', 'id')) as id, t.*
        from unnest(
          ${column((i) => i.given.form ?? null)}::text[], ${column((i) => i.given.commune ?? null)}::text[], ${column((i) => i.given.period ?? null)}::text[],
          ${column((i) => i.file.filename)}::text[], ${column((i) => i.file.contentType)}::text[],
          ${column((i) => i.file.bytes.length)}::int[], ${hashes}::text[],
          ${column((i) => i.principal.level)}::text[], ${column((i) => i.principal.code)}::text[], ${column((i) => idOf(i.principal, 'token'))}::bigint[],
          ${column((i) => idOf(i.principal, 'user'))}::bigint[], ${column((i) => i.receivedAt.toISOString())}::timestamptz[],
          ${column((i) => i.principal.id)}::text[], ${column((i) => i.principal.name ?? i.principal.id)}::text[]
        ) with ordinality as t(given_form, given_commune, given_period, filename, content_type, byte_size,
          sha256, scope_level, scope_code, token_id, user_id, received_at, actor, actor_name, ord)
       order by t.ord
    ),
    s as (
      insert into submission (id, status, given_form, given_commune, given_period, filename, content_type,
        byte_size, sha256, scope_level, scope_code, token_id, user_id, received_at, updated_at)
      overriding system value
      select id, 'queued', given_form, given_commune, given_period, filename, content_type, byte_size, sha256,
        scope_level, scope_code, token_id, user_id, received_at, received_at from input
    ),
    -- Each file's bytes a parameter of its own, which node-postgres sends as binary; in a bytea[] they would go as hex text.
    files(ord, bytes) as (values ${sql.join(items.map((i, k) => sql`(${k + 1}::bigint, ${i.file.bytes}::bytea)`))}),
    f as (insert into submission_file (submission_id, bytes) select input.id, files.bytes from input join files on files.ord = input.ord),
    -- The upload is a state change the audit log keeps (SPEC §7), committed with it.
    a as (
      insert into audit_log (at, actor, actor_name, scope_level, scope_code, province_code, action, subject)
      select received_at, actor, actor_name, scope_level, scope_code,
             coalesce(case when scope_level = 'province' then scope_code end,
                      (select u.province_code from admin_unit u where u.level = 'commune' and u.code =
                        coalesce(given_commune, case when scope_level = 'commune' then scope_code end)
                        order by u.valid_from desc limit 1)),
             'submission.upload',
             jsonb_build_object('submission', id, 'filename', filename, 'sha256', sha256, 'form', given_form, 'commune', given_commune, 'period', given_period)
        from input
    )
    select id, ord::int as ord from input order by ord`.execute(db);
  return rows.map((r) => {
    const item = items[r.ord - 1]!;
    const { filename, archive } = item.file;
    return {
      id: r.id,
      status: 'queued',
      form: item.given.form ?? null,
      commune: item.given.commune ?? null,
      period: item.given.period ?? null,
      sha256: hashes[r.ord - 1]!,
      filename,
      ...(archive ? { archive } : {}),
    };
  });
}

export type SubmissionStore = (
  principal: Principal,
  given: RawMeta,
  files: readonly UploadedFile[],
  refused: readonly Refusal[],
  idempotencyKey: string | null,
  now: Date,
  requestDigest?: string | null,
) => Promise<UploadAnswer>;

/**
 * Stores each file's bytes, metadata and sha256 with status `queued`, all in one transaction, and
 * the idempotency key's response with them: only after this commit may the client hear 202. One
 * file without a key — the common upload — is one row of a statement shared with the uploads that
 * arrive while the previous one is written (group commit): many commune officers sending at once
 * cost a few statements, not one each.
 */
export function createSubmissionStore(db: Db): SubmissionStore {
  const storeOne = groupCalls((items: NewSubmission[]) => insertSubmissions(db, items), 64);
  return async (principal, given, files, refused, idempotencyKey, now, requestDigest = null) => {
    const [only] = files;
    const submissions =
      files.length === 1 && only && idempotencyKey === null
        ? [await storeOne({ principal, given, file: only, receivedAt: now })]
        : await storeSubmissions(db, principal, given, files, idempotencyKey, now, refused, requestDigest);
    return { submissions, refused: [...refused] };
  };
}

/**
 * Stores one request's files in one transaction of their own, with the idempotency key's response
 * when there is one: the whole answer, the files `refused` included, so that a replay of a ZIP
 * upload says again which of its files were refused.
 */
export async function storeSubmissions(
  db: Db,
  principal: Principal,
  given: RawMeta,
  files: readonly UploadedFile[],
  idempotencyKey: string | null,
  now: Date,
  refused: readonly Refusal[] = [],
  requestDigest: string | null = null,
): Promise<StoredSubmission[]> {
  return db.transaction().execute(async (tx) => {
    const result: StoredSubmission[] = [];
    // In statements of a few MiB, each a message node-postgres builds whole: a ZIP of a province's
    // files is a thousand of them. In order, so that the ids keep it.
    for (const chunk of chunksOf(files))
      result.push(
        ...(await insertSubmissions(
          tx,
          chunk.map((file) => ({ principal, given, file, receivedAt: now })),
        )),
      );
    if (idempotencyKey !== null) {
      const answer: UploadAnswer = { submissions: result, refused: [...refused] };
      await tx
        .insertInto('idempotency_key')
        .values({
          principal: principal.id,
          key: idempotencyKey,
          response: JSON.stringify(answer),
          request_digest: requestDigest,
        })
        .execute();
    }
    return result;
  });
}

/** True when the key was stored by another request while this one was being stored: that one committed, this one did not. */
export function isIdempotencyRace(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'idempotency_key_pkey';
}

const chunkBytes = 4 * 1024 * 1024;

/** Consecutive runs of files of at most `chunkBytes` together (or one larger file alone). */
function chunksOf(files: readonly UploadedFile[]): UploadedFile[][] {
  const chunks: UploadedFile[][] = [];
  let size = Infinity;
  for (const file of files) {
    if (size + file.bytes.length > chunkBytes) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(file);
    size += file.bytes.length;
  }
  return chunks;
}

/**
 * The response first given for this key by this principal, if any (SPEC §4.3), when this request is
 * the one it was given for (`requestDigest`, upload-digest.ts); the same key with another request is
 * a 422, never the first answer for a file that would then be dropped unsaid.
 */
export async function replayIdempotent(
  db: Db,
  principal: Principal,
  key: string,
  requestDigest: string,
): Promise<unknown | null> {
  const row = await db
    .selectFrom('idempotency_key')
    .select(['response', 'request_digest'])
    .where('principal', '=', principal.id)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_digest !== null && row.request_digest !== requestDigest)
    throw new HttpError('TONGHOP_ERR_IDEMPOTENCY_KEY_REUSED');
  return row.response;
}
