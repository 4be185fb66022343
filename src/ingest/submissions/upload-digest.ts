import { createHash } from 'node:crypto';
import { partSha256 } from './spool.ts';
import type { UploadPart, Upload } from './upload.ts';

/**
 * What an upload asks, as a sha256: its fields, the checks it names, and each file's name and bytes
 * (a spooled archive read back from its spool file), in order. Two requests under one
 * Idempotency-Key are the same upload when these are equal (store.ts's replayIdempotent).
 */
export async function uploadDigest(upload: Upload<UploadPart>): Promise<string> {
  const files: { filename: string | null; sha256: string }[] = [];
  for (const part of upload.files) files.push({ filename: part.filename, sha256: await partSha256(part) });
  const given = Object.entries(upload.given).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const refused = upload.refused.map((r) => r.filename);
  const request = JSON.stringify({ given, checks: upload.checks, files, refused });
  return createHash('sha256').update(request).digest('hex');
}
