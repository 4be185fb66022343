import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sql, type Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connect.ts';
import type { Database } from '../../schema/database.ts';
import type { Principal } from '../../schema/scope.ts';
import { HttpError } from '../errors.ts';
import { partSha256, type SpooledArchive } from './spool.ts';
import type { UploadedFile } from './store.ts';

/** What "check before sending" answers for each file it keeps: send it later by this id, until then. */
export type CheckedRef = { filename: string | null; check: string; expires_at: string };

/**
 * Keeps the files a principal just checked (POST /v1/validate), so that "send this file" refers to
 * them by sha256 rather than uploading them again: for CHECKED_FILE_TTL_S, at most
 * CHECKED_FILE_MAX_BYTES per principal (the oldest go first; a file larger than that is not kept,
 * and the page sends its bytes). Expired rows, anyone's, are deleted here. An archive waiting in
 * the spool is read from disk a piece at a time, to hash and to store, never whole.
 */
export async function keepChecked(
  db: Db,
  config: Config,
  principal: Principal,
  files: readonly (UploadedFile | SpooledArchive)[],
  now: Date,
): Promise<CheckedRef[]> {
  const expires = new Date(now.getTime() + config.CHECKED_FILE_TTL_S * 1000);
  const kept: CheckedRef[] = [];
  await db.deleteFrom('checked_file').where('expires_at', '<=', now).execute();
  for (const file of files) {
    const size = 'path' in file ? (await stat(file.path)).size : file.bytes.length;
    if (config.CHECKED_FILE_TTL_S === 0 || size > config.CHECKED_FILE_MAX_BYTES) continue;
    const sha256 = await partSha256(file);
    await db.transaction().execute(async (tx) => {
      const { inserted } = await tx
        .insertInto('checked_file')
        .values({
          principal: principal.id,
          sha256,
          filename: file.filename,
          content_type: file.contentType,
          byte_size: size,
          bytes: 'path' in file ? Buffer.alloc(0) : file.bytes,
          checked_at: now,
          expires_at: expires,
        })
        .onConflict((oc) =>
          oc.columns(['principal', 'sha256']).doUpdateSet({
            filename: file.filename,
            content_type: file.contentType,
            checked_at: now,
            expires_at: expires,
          }),
        )
        // Inserted, not found already kept (Postgres marks a row an upsert updated with its xmax).
        .returning(sql<boolean>`xmax = 0`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (inserted && 'path' in file) await storeSpooled(tx, file.path, principal.id, sha256);
      // Within the cap: the principal's newest files whose bytes, with all newer ones, fit.
      await sql`
        delete from checked_file c using (
          select sha256, sum(byte_size) over (order by checked_at desc, sha256) as running
            from checked_file where principal = ${principal.id}
        ) r
        where c.principal = ${principal.id} and c.sha256 = r.sha256 and r.running > ${config.CHECKED_FILE_MAX_BYTES}`.execute(
        tx,
      );
    });
    kept.push({ filename: file.filename, check: sha256, expires_at: expires.toISOString() });
  }
  return kept;
}

/** How much of a spooled archive goes to Postgres at a time. */
const storedPieceBytes = 1024 * 1024;

/**
 * A spooled archive's bytes into its kept row, from disk a piece at a time: the pieces wait in a
 * table of the transaction and Postgres joins them in one update, so that neither the process
 * holds the archive whole nor Postgres rewrites a growing value once per piece (`bytes || piece`).
 */
async function storeSpooled(tx: Transaction<Database>, path: string, principal: string, sha256: string) {
  await sql`create temporary table checked_piece (n integer, piece bytea) on commit drop`.execute(tx);
  let n = 0;
  for await (const piece of createReadStream(path, { highWaterMark: storedPieceBytes }))
    await sql`insert into checked_piece values (${n++}, ${piece})`.execute(tx);
  await sql`
    update checked_file set bytes = (select coalesce(string_agg(piece, ''::bytea order by n), ''::bytea) from checked_piece)
     where principal = ${principal} and sha256 = ${sha256}`.execute(tx);
}

/**
 * The files a send names by check id, as if uploaded again: only the principal's own, only
 * unexpired. One not found (another principal's, expired, or dropped for the cap) is a 410 that
 * tells the page to send the file itself.
 */
export async function takeChecked(
  db: Db,
  principal: Principal,
  checks: readonly string[],
  now: Date,
): Promise<UploadedFile[]> {
  if (checks.length === 0) return [];
  const rows = await db
    .selectFrom('checked_file')
    .select(['sha256', 'filename', 'content_type', 'bytes'])
    .where('principal', '=', principal.id)
    .where('sha256', 'in', checks)
    .where('expires_at', '>', now)
    .execute();
  return checks.map((check) => {
    const row = rows.find((r) => r.sha256 === check);
    if (!row) throw new HttpError('TONGHOP_ERR_CHECK_GONE', { check });
    return { filename: row.filename, contentType: row.content_type, bytes: row.bytes };
  });
}

/**
 * A checked file sent is forgotten, after the commit of its submission: one check makes one
 * submission (a send that names it again is a 410 and the page sends the bytes), so naming a kept
 * file over and over cannot store its bytes again and again past the upload limits.
 */
export async function dropChecked(db: Db, principal: Principal, checks: readonly string[]): Promise<void> {
  if (checks.length === 0) return;
  await db.deleteFrom('checked_file').where('principal', '=', principal.id).where('sha256', 'in', checks).execute();
}
