import type { FastifyRequest } from 'fastify';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import { issue } from '../../schema/issue.ts';
import { parsePeriod } from '../../schema/period.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import { normalizeCommuneCode } from '../../report/meta/resolve-meta.ts';
import { oleDocumentOf } from '../../report/read/xls/ole-document.ts';
import { HttpError } from '../errors.ts';
import type { UploadedFile } from './store.ts';

export type Upload = { given: RawMeta; files: UploadedFile[] };

// Documents that are no spreadsheet are refused at the door, with a message saying what is read.
const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const pdf = Buffer.from('%PDF');

export function checkFileKind(file: UploadedFile): void {
  // An OLE file is a Word or Outlook document unless it holds a workbook; a damaged one goes on, for the reader to name its damage.
  if (file.bytes.subarray(0, 4).equals(ole2) && oleDocumentOf(file.bytes) === 'other') throw new HttpError('TONGHOP_ERR_UNSUPPORTED_FILE');
  if (file.bytes.subarray(0, 4).equals(pdf) || /\.(pdf|docx?|odt|png|jpe?g|zip|rar)$/iu.test(file.filename ?? '')) {
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

