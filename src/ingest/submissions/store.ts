import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import type { Principal } from '../../schema/scope.ts';

export type UploadedFile = { filename: string | null; contentType: string | null; bytes: Buffer };

export type StoredSubmission = { id: number; status: 'queued'; form: string | null; commune: string | null; period: string | null; sha256: string };

/** Inserts one file's submission row and bytes in a single statement (atomic on its own), returning its id. */
async function insertSubmission(db: Db, principal: Principal, given: RawMeta, file: UploadedFile, sha256: string, now: Date): Promise<number> {
  const row = await db
    .with('s', (qb) =>
      qb
        .insertInto('submission')
        .values({
          status: 'queued',
          given_form: given.form ?? null,
          given_commune: given.commune ?? null,
          given_period: given.period ?? null,
          filename: file.filename,
          content_type: file.contentType,
          byte_size: file.bytes.length,
          sha256,
          scope_level: principal.level,
          scope_code: principal.code,
          token_id: principal.id.startsWith('token:') ? Number(principal.id.slice('token:'.length)) : null,
          user_id: principal.id.startsWith('user:') ? Number(principal.id.slice('user:'.length)) : null,
          received_at: now,
          updated_at: now,
        })
        .returning('id'),
    )
    .with('f', (qb) =>
      qb
        .insertInto('submission_file')
        .columns(['submission_id', 'bytes'])
        .expression((eb) => eb.selectFrom('s').select(['s.id', sql<Buffer>`${file.bytes}::bytea`.as('bytes')]))
        .returning('submission_id'),
    )
    .selectFrom('f')
    .select('f.submission_id as id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Stores each file's bytes, metadata and sha256 with status `queued`, all in one transaction, and
 * the idempotency key's response with them: only after this commit may the client hear 202. One
 * file without a key — the common upload — is a single statement, with no transaction around it.
 */
export async function storeSubmissions(
  db: Db,
  principal: Principal,
  given: RawMeta,
  files: readonly UploadedFile[],
  idempotencyKey: string | null,
  now: Date,
): Promise<StoredSubmission[]> {
  const stored = (id: number, sha256: string): StoredSubmission => ({ id, status: 'queued', form: given.form ?? null, commune: given.commune ?? null, period: given.period ?? null, sha256 });
  const sha = (file: UploadedFile) => createHash('sha256').update(file.bytes).digest('hex');
  const [only] = files;
  if (files.length === 1 && only && idempotencyKey === null) {
    const sha256 = sha(only);
    return [stored(await insertSubmission(db, principal, given, only, sha256, now), sha256)];
  }
  return db.transaction().execute(async (tx) => {
    const result: StoredSubmission[] = [];
    for (const file of files) {
      const sha256 = sha(file);
      result.push(stored(await insertSubmission(tx, principal, given, file, sha256, now), sha256));
    }
    if (idempotencyKey !== null) {
      await tx.insertInto('idempotency_key').values({ principal: principal.id, key: idempotencyKey, response: JSON.stringify({ submissions: result }) }).execute();
    }
    return result;
  });
}

/** The response first given for this key by this principal, if any (SPEC §4.3). */
export async function replayIdempotent(db: Db, principal: Principal, key: string): Promise<unknown | null> {
  const row = await db.selectFrom('idempotency_key').select('response').where('principal', '=', principal.id).where('key', '=', key).executeTakeFirst();
  return row?.response ?? null;
}
