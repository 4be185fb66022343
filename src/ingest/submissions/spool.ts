import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipKind } from '../../report/read/file-kind.ts';
import { zipFile } from '../../report/read/zip/zip-file.ts';

/**
 * Where the ZIP archives of requests wait, on disk, for their turn to be opened: a province's 63
 * archives arriving at once would otherwise lie in memory together, inflated, until stored. Each
 * file is named by the process that wrote it, so that a process starting again removes what a
 * crashed one left (sweepSpool) and never what a live one is using.
 */
export const spoolDir = join(tmpdir(), 'tonghop-upload-spool');

/** A file part of a request kept on disk: a ZIP archive of reports, opened in its turn (admitFiles). */
export type SpooledArchive = { filename: string | null; contentType: string | null; path: string };

/** The sha256 of a part as read: its bytes, or its spool file read back in pieces. */
export async function partSha256(part: { bytes: Buffer } | { path: string }): Promise<string> {
  const hash = createHash('sha256');
  if ('bytes' in part) return hash.update(part.bytes).digest('hex');
  for await (const piece of createReadStream(part.path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** A part's bytes, or the spool file of its archive. */
export type ReadPart = { bytes: Buffer } | { archive: string };

/** The first bytes of a ZIP (a local file header, an empty archive's end record, a spanned archive's marker), as fileKind reads them. */
function startsLikeZip(head: Buffer): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && [0x0304, 0x0506, 0x0708].includes((head[2]! << 8) | head[3]!);
}

/**
 * Reads a file part as it comes: text and the like into memory, anything that starts like a ZIP to
 * a spool file, whose directory alone then tells a workbook (taken into memory, as any report)
 * from an archive (left on disk, its files unread). The spool file is removed on every path but the last.
 */
export async function readPart(stream: AsyncIterable<Buffer>, filename: string | null): Promise<ReadPart> {
  const chunks: Buffer[] = [];
  let size = 0;
  let decided = false;
  let path: string | null = null;
  let out: Awaited<ReturnType<typeof open>> | null = null;
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      if (out) {
        await disk(out.write(chunk));
        continue;
      }
      chunks.push(chunk);
      if (!decided && size >= 4) {
        decided = true;
        if (!startsLikeZip(chunks.length === 1 ? chunk : Buffer.concat(chunks))) continue;
        await disk(privateSpoolDir());
        path = join(spoolDir, `${process.pid}-${randomUUID()}.zip`);
        out = await disk(open(path, 'wx', 0o600));
        for (const c of chunks.splice(0)) await disk(out.write(c));
      }
    }
    if (out) await disk(out.close());
    out = null;
    if (path === null) return { bytes: Buffer.concat(chunks) };
    if ((await disk(spooledKind(path, filename))) === 'zip') return { archive: path };
    const bytes = await disk(readFile(path));
    await rm(path, { force: true });
    return { bytes };
  } catch (error) {
    await out?.close().catch(() => {});
    if (path !== null) await rm(path, { force: true });
    throw error;
  }
}

/** What a spooled ZIP is, from its directory (zipKind), read from disk. */
async function spooledKind(path: string, filename: string | null) {
  const file = await open(path, 'r');
  try {
    return zipKind(zipFile(file.fd, (await file.stat()).size), filename);
  } finally {
    await file.close();
  }
}

/**
 * Is the spool directory a directory of this process's user, not a link? In a shared temporary
 * directory another user may have made it, or a link in its place to a directory of anyone's
 * choosing: written into, that user could swap an archive for their own while it waits its turn
 * (stored under the uploader's credential); swept, the files it points to would be removed.
 */
async function isOwnSpoolDir(): Promise<boolean> {
  const dir = await lstat(spoolDir);
  return dir.isDirectory() && (process.getuid === undefined || dir.uid === process.getuid());
}

/** The spool directory, made if missing, readable and writable by this user alone; refused when it is not its own. */
async function privateSpoolDir(): Promise<void> {
  await mkdir(spoolDir, { recursive: true, mode: 0o700 });
  if (!(await isOwnSpoolDir())) throw new Error(`${spoolDir} is not a directory of this process's user`);
  if (((await lstat(spoolDir)).mode & 0o077) !== 0) await chmod(spoolDir, 0o700);
}

/** The spool's disk failing (full, unwritable) is the service's fault, not a malformed request (readUpload passes it on). */
export class SpoolFailure extends Error {}

const disk = <T>(op: Promise<T>): Promise<T> =>
  op.catch((error: unknown) => {
    throw new SpoolFailure('upload spool', { cause: error });
  });

/** Removes spool files; never throws (a file already gone is what was wanted). */
export async function removeSpooled(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true }).catch(() => {})));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** At start: the spool files of processes no longer running, left by a crash or a kill, are removed. */
export async function sweepSpool(): Promise<void> {
  if (!(await isOwnSpoolDir().catch(() => false))) return;
  const names = await readdir(spoolDir).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = Number(/^(\d+)-/u.exec(name)?.[1]);
    return !Number.isInteger(pid) || (pid !== process.pid && !isRunning(pid));
  });
  await removeSpooled(stale.map((name) => join(spoolDir, name)));
}
