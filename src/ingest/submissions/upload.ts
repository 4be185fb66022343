import { open } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import { bilingual, issue, type Issue } from '../../schema/issue.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import { normalizeCommuneCode } from '../../report/meta/resolve-meta.ts';
import { fileKind, type FileKind } from '../../report/read/file-kind.ts';
import {
  unpackArchive,
  type ArchiveFile,
  type ArchiveLimits,
  type ArchiveProblem,
} from '../../report/read/zip/unpack-archive.ts';
import { zipFile } from '../../report/read/zip/zip-file.ts';
import { oneAtATime } from '../../group-calls.ts';
import { HttpError, httpErrors, type HttpErrorCode, unreadableFilesMessage } from '../errors.ts';
import { errorCodeSchema } from '../route-schema.ts';
import { readPart, removeSpooled, SpoolFailure, type SpooledArchive } from './spool.ts';
import type { UploadedFile } from './store.ts';

/**
 * A file of the request that is not stored, and why, by name: `message` reads `tên tệp: lý do` in
 * Vietnamese and `file name: reason` in English. A file from an archive names the archive too.
 */
export const refusalSchema = z.object({
  filename: z.string().nullable(),
  archive: z.string().optional().describe('the ZIP archive it came from'),
  code: errorCodeSchema,
  message: bilingual,
});
export type Refusal = z.infer<typeof refusalSchema>;

/** The fields of an upload, as /docs describes them: readUpload reads them from the multipart stream as they come. */
export const uploadFields = z.object({
  file: z.array(z.file()).describe('report files (.xlsx, .xls, .ods, .csv, .json), or .zip archives of them'),
  form: z.string().optional().describe('a form code (GET /v1/forms), when the files do not name it'),
  commune: z
    .string()
    .regex(/^[0-9]{5}$/u)
    .optional(),
  period: z
    .string()
    .optional()
    .meta({ examples: ['2023-Q2', 'Quý II/2023', '2023-06', '2023'] }),
  check: z
    .array(z.string().regex(/^[0-9a-f]{64}$/u))
    .optional()
    .describe(
      'POST /v1/submissions only, instead of a file: a file POST /v1/validate kept for this principal (its `checked[].check`), sent without its bytes',
    ),
});

/** The 415s of an upload, as /docs describes them: which of them says what the request was. */
export const uploadUnsupported =
  'TONGHOP_ERR_NOT_MULTIPART: the request is not multipart/form-data at all. TONGHOP_ERR_UNSUPPORTED_FILE: it is, but no ' +
  'file was taken, and the message names those of no kind the service reads (.xlsx, .xls, .ods, .csv, .json, or a .zip ' +
  'of these; each file’s reason in `details`). TONGHOP_ERR_ARCHIVE_NESTED: the archives sent held only archives.';

/**
 * `checks`: files kept by "check before sending", named by their check id instead of sent again
 * (checked-files.ts). `files` in the order sent, an archive spooled to disk among them (UploadPart).
 */
export type Upload<File = UploadedFile> = { given: RawMeta; files: File[]; refused: Refusal[]; checks: string[] };
export type UploadPart = UploadedFile | SpooledArchive;

/** The spool files of an upload, to remove once it is answered. */
export const spooledOf = (upload: Upload<UploadPart>): string[] =>
  upload.files.flatMap((file) => ('path' in file ? [file.path] : []));

/**
 * What the service does with each kind of content: read it (a report), open it (an archive of
 * reports), or refuse it with this error. The one place that says which files are taken, by what
 * they are, never by their name. An empty file is taken: its reader says FILE_EMPTY, as for a file
 * of blanks.
 */
const verdicts: Record<FileKind, 'read' | 'archive' | HttpErrorCode> = {
  xlsx: 'read',
  csv: 'read',
  json: 'read',
  empty: 'read',
  zip: 'archive',
  xls: 'read',
  ods: 'read',
  document: 'TONGHOP_ERR_UNSUPPORTED_FILE',
  pdf: 'TONGHOP_ERR_UNSUPPORTED_FILE',
  image: 'TONGHOP_ERR_UNSUPPORTED_FILE',
  markup: 'TONGHOP_ERR_UNSUPPORTED_FILE',
  binary: 'TONGHOP_ERR_UNSUPPORTED_FILE',
};

export function checkFileKind(file: Pick<UploadedFile, 'bytes' | 'filename'>): 'read' | 'archive' | HttpErrorCode {
  return verdicts[fileKind(file.bytes, file.filename)];
}

/** A refused file as its message names it: by its path in the archive it came from, if it did. */
const refusedName = (filename: string | null, archive?: string) =>
  archive ? `${archive}/${filename ?? ''}` : (filename ?? '(không tên / unnamed)');

/** A refusal, its reason the error's own message or, when there is one, the issue that says more. */
export function refusal(filename: string | null, code: HttpErrorCode, why?: Issue, archive?: string): Refusal {
  const reason = why?.message ?? httpErrors[code].message;
  const name = refusedName(filename, archive);
  return {
    filename,
    ...(archive ? { archive } : {}),
    code,
    message: { vi: `${name}: ${reason.vi}`, en: `${name}: ${reason.en}` },
  };
}

const problemCodes: Record<ArchiveProblem['kind'], HttpErrorCode> = {
  corrupt: 'TONGHOP_ERR_ARCHIVE_CORRUPT',
  limit: 'TONGHOP_ERR_ARCHIVE_LIMIT',
  tooLarge: 'TONGHOP_ERR_FILE_TOO_LARGE',
};

/**
 * The files of an upload that are reports, each on its own, handed to `take` one at a time as they
 * come: a ZIP archive is opened and each file in it is one more report (named by its path in the
 * archive), read from the spool a file at a time, so that a caller that lets each go (validate)
 * never holds the archive; any other file is taken or refused by its kind. What is refused is
 * refused by name, and the rest goes on. The archives of one request share one budget of files and
 * bytes, so that fifty archives are not fifty times the limit.
 */
export async function eachAdmitted(
  upload: Upload<UploadPart>,
  config: Config,
  take: (file: UploadedFile) => Promise<void>,
): Promise<{ taken: number; refused: Refusal[] }> {
  const refused = [...upload.refused];
  let taken = 0;
  const budget = { entries: config.MAX_ARCHIVE_ENTRIES, bytes: config.MAX_ARCHIVE_BYTES };
  for (const file of upload.files) {
    const verdict = 'path' in file ? 'archive' : checkFileKind(file);
    if (verdict === 'read') {
      taken++;
      await take(file as UploadedFile);
    } else if (verdict !== 'archive') refused.push(refusal(file.filename, verdict));
    else {
      const archive = file.filename ?? 'archive.zip';
      const limits = {
        maxEntries: budget.entries,
        maxBytes: budget.bytes,
        maxRatio: config.MAX_ARCHIVE_RATIO,
        maxFileBytes: config.MAX_FILE_BYTES,
      };
      // The files of an archive not taken for their kind are named after those refused while opening it, as they always were.
      const notReports: Refusal[] = [];
      let seen = 0;
      const each = async (entry: ArchiveFile) => {
        seen++;
        budget.entries--;
        if ('problem' in entry) {
          refused.push(refusal(entry.name, problemCodes[entry.problem.kind], entry.problem.issue, archive));
          return;
        }
        budget.bytes -= entry.bytes.length;
        const inner = checkFileKind({ bytes: entry.bytes, filename: entry.name });
        if (inner !== 'read')
          notReports.push(
            refusal(entry.name, inner === 'archive' ? 'TONGHOP_ERR_ARCHIVE_NESTED' : inner, undefined, archive),
          );
        else {
          taken++;
          await take({ filename: entry.name, archive, contentType: null, bytes: entry.bytes });
        }
      };
      const problem =
        'path' in file ? await eachInSpooled(file.path, limits, each) : await eachIn(file.bytes, limits, each);
      if (problem) refused.push(refusal(file.filename, problemCodes[problem.kind], problem.issue));
      else if (seen === 0) refused.push(refusal(file.filename, 'TONGHOP_ERR_ARCHIVE_EMPTY'));
      refused.push(...notReports);
    }
  }
  return { taken, refused };
}

/** The files of an archive in memory, each to `each`; or why the archive as a whole is refused. */
async function eachIn(
  zip: Parameters<typeof unpackArchive>[0],
  limits: ArchiveLimits,
  each: (entry: ArchiveFile) => Promise<void>,
): Promise<ArchiveProblem | null> {
  const unpacked = unpackArchive(zip, limits);
  if ('problem' in unpacked) return unpacked.problem;
  for await (const entry of unpacked.files) await each(entry);
  return null;
}

/** The same for an archive in the spool, read from disk where its directory points and closed whatever happens. */
async function eachInSpooled(
  path: string,
  limits: ArchiveLimits,
  each: (entry: ArchiveFile) => Promise<void>,
): Promise<ArchiveProblem | null> {
  const handle = await open(path, 'r');
  try {
    return await eachIn(zipFile(handle.fd, (await handle.stat()).size), limits, each);
  } finally {
    await handle.close();
  }
}

/** The files of an upload admitted (eachAdmitted) and held together, to be stored in one transaction. */
export async function admitFiles(upload: Upload<UploadPart>, config: Config): Promise<Upload> {
  const files: UploadedFile[] = [];
  const { refused } = await eachAdmitted(upload, config, async (file) => {
    files.push(file);
  });
  return { given: upload.given, files, refused, checks: upload.checks };
}

/**
 * Archives are opened one request at a time in the process, whichever route it came by, the others
 * waiting on disk: opened, each file of one lies in memory inflated until stored or judged, and 63
 * provinces sending at once would hold them all. A request without an archive does not wait.
 */
const archiveTurn = oneAtATime();
export const inArchiveTurn = <T>(upload: Upload<UploadPart>, task: () => Promise<T>): Promise<T> =>
  spooledOf(upload).length > 0 ? archiveTurn(task) : task();

/**
 * The request's files and fields. A file over the size limit is refused by name; the others are
 * kept. A ZIP archive is kept on disk (spool.ts) while the request is read and until its turn to be
 * opened; its spool file is removed here when the request fails, else by withUpload.
 */
async function readUpload(request: FastifyRequest, config: Config): Promise<Upload<UploadPart>> {
  if (!request.isMultipart()) throw new HttpError('TONGHOP_ERR_NOT_MULTIPART');
  const given: RawMeta = {};
  const files: UploadPart[] = [];
  const refused: Refusal[] = [];
  const checks: string[] = [];
  try {
    // The limits are the plugin's (app.ts), from the same config; a file over its size is cut by
    // busboy, the rest of it dropped, and the request goes on.
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const filename = part.filename || null;
        const read = await readPart(part.file, filename);
        if (part.file.truncated) {
          if ('archive' in read) await removeSpooled([read.archive]);
          refused.push(
            refusal(
              filename,
              'TONGHOP_ERR_FILE_TOO_LARGE',
              issue('FILE_TOO_LARGE', {}, { limit: config.MAX_FILE_BYTES }),
            ),
          );
        } else if ('archive' in read) files.push({ filename, contentType: part.mimetype || null, path: read.archive });
        else files.push({ filename, contentType: part.mimetype || null, bytes: read.bytes });
      } else if (part.fieldname === 'form' || part.fieldname === 'commune' || part.fieldname === 'period') {
        const value = String(part.value ?? '').trim();
        if (value !== '') given[part.fieldname] = value;
      } else if (part.fieldname === 'check') {
        const value = String(part.value ?? '')
          .trim()
          .toLowerCase();
        if (!/^[0-9a-f]{64}$/u.test(value))
          throw new HttpError('TONGHOP_ERR_BAD_REQUEST', [
            {
              path: 'check',
              message: {
                vi: 'mã kiểm tra là chuỗi sha256 mà POST /v1/validate đã trả về',
                en: 'a check id is the sha256 POST /v1/validate answered',
              },
            },
          ]);
        // Once each: the same check named twice would store its kept bytes twice.
        if (!checks.includes(value)) checks.push(value);
      }
    }
  } catch (error) {
    await removeSpooled(spooledOf({ given, files, refused, checks }));
    if (error instanceof SpoolFailure) throw error;
    throw multipartError(error, request, { files: config.MAX_UPLOAD_FILES, fields: config.MAX_UPLOAD_FIELDS });
  }
  return { given, files, refused, checks };
}

/**
 * The request's upload, its archives spooled (readUpload), handed to `answer`; its spool files are
 * removed once answered, whatever happens (those of a request that fails while read, readUpload
 * removes itself).
 */
export async function withUpload<T>(
  request: FastifyRequest,
  config: Config,
  answer: (upload: Upload<UploadPart>) => Promise<T>,
): Promise<T> {
  const upload = await readUpload(request, config);
  try {
    return await answer(upload);
  } finally {
    await removeSpooled(spooledOf(upload));
  }
}

/**
 * What went wrong while reading the request's parts: a limit of the form, or else a body that is
 * not the multipart it says (cut off, a bad boundary or part header) — the client's doing, a 400,
 * logged as such and not as a failure of the service.
 */
function multipartError(error: unknown, request: FastifyRequest, limits: { files: number; fields: number }): HttpError {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
    return new HttpError('TONGHOP_ERR_TOO_MANY_FILES', { limit: limits.files });
  if (code === 'FST_FIELDS_LIMIT') return new HttpError('TONGHOP_ERR_TOO_MANY_FIELDS', { limit: limits.fields });
  request.log.info({ err: error }, 'malformed multipart request');
  return new HttpError('TONGHOP_ERR_MULTIPART_MALFORMED');
}

/** Request fields, checked and made canonical; a wrong one is a 400 before anything is stored. */
export function canonicalGiven(forms: FormCatalog, given: RawMeta): RawMeta {
  const problems = [];
  const out: RawMeta = {};
  if (given.form !== undefined) {
    const form = forms.find(given.form);
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

/**
 * Nothing of the request can be stored: it fails as a whole, with the first refusal's status and
 * every refusal by name; a 415 for files of no kind read names them in its message too.
 */
export function nothingAdmitted(upload: Pick<Upload, 'refused'>): HttpError {
  const [first] = upload.refused;
  if (!first) return new HttpError('TONGHOP_ERR_NO_FILE');
  if (first.code !== 'TONGHOP_ERR_UNSUPPORTED_FILE') return new HttpError(first.code, upload.refused);
  const unreadable = upload.refused.filter((r) => r.code === 'TONGHOP_ERR_UNSUPPORTED_FILE');
  return new HttpError(
    first.code,
    upload.refused,
    unreadableFilesMessage(unreadable.map((r) => refusedName(r.filename, r.archive))),
  );
}
