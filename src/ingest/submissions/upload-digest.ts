import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { UploadPart, Upload } from './upload.ts';

/**
 * What an upload asks, as a sha256: its fields, the checks it names, and each file's name and bytes
 * (a spooled archive read back from its spool file), in order. Two requests under one
 * Idempotency-Key are the same upload when these are equal (store.ts's replayIdempotent).
 */
export async function uploadDigest(upload: Upload<UploadPart>): Promise<string> {
  const files: { filename: string | null; sha256: string }[] = [];
  for (const part of upload.files)
    files.push({ filename: part.filename, sha256: 'bytes' in part ? sha256(part.bytes) : await fileSha256(part.path) });
  const given = Object.entries(upload.given).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const refused = upload.refused.map((r) => r.filename);
  return sha256(Buffer.from(JSON.stringify({ given, checks: upload.checks, files, refused })));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
