import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RawMeta } from '../schema/raw-table.ts';
import { api } from './submit.ts';
import { formatTable } from './table.ts';

type Result = {
  filename: string;
  valid: boolean;
  form: string | null;
  commune: string | null;
  period: string | null;
  rows: number | null;
  issues: {
    row: number | null;
    column: string | null;
    value: string | null;
    code: string;
    message: { vi: string; en: string };
  }[];
  /** Data-quality warnings (SPEC §8): never a reason to refuse; absent from an older server. */
  warnings?: Result['issues'];
};

/**
 * "Check before sending" from a terminal: each file goes to the server's POST /v1/validate, which
 * judges it as a submission would be judged and stores nothing. Prints one line per file and every
 * problem of each file that would be rejected. Returns the exit code: 1 if any file would be.
 */
export async function validateFiles(options: {
  url: string;
  token: string;
  files: readonly string[];
  given: RawMeta;
  out: NodeJS.WritableStream;
  retryForMs?: number;
}): Promise<number> {
  const { url, token, out } = options;
  const results: Result[] = [];
  for (const path of options.files) {
    const form = new FormData();
    for (const [k, v] of Object.entries(options.given)) if (v) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(await readFile(path))]), basename(path));
    const body = (await api(
      url,
      token,
      '/v1/validate',
      { method: 'POST', body: form },
      undefined,
      options.retryForMs,
    )) as { results: Result[] };
    results.push(...body.results);
  }
  out.write(
    `${formatTable(
      ['file', 'result', 'form', 'commune', 'period', 'rows'],
      results.map((r) => [
        r.filename,
        r.valid ? 'hợp lệ / valid' : 'sẽ bị từ chối / would be rejected',
        r.form,
        r.commune,
        r.period,
        r.rows,
      ]),
    )}\n`,
  );
  for (const r of results.filter((x) => !x.valid)) {
    out.write(`\n${r.filename}:\n`);
    out.write(
      `${formatTable(
        ['row', 'column', 'value', 'code', 'lỗi', 'error'],
        r.issues.map((e) => [e.row, e.column, e.value, e.code, e.message.vi, e.message.en]),
      )}\n`,
    );
  }
  for (const r of results.filter((x) => x.valid && (x.warnings ?? []).length > 0)) {
    out.write(`\n${r.filename} — cảnh báo, vẫn được nhận / warnings, still accepted:\n`);
    out.write(
      `${formatTable(
        ['column', 'value', 'code', 'cảnh báo', 'warning'],
        r.warnings!.map((e) => [e.column, e.value, e.code, e.message.vi, e.message.en]),
      )}\n`,
    );
  }
  const invalid = results.filter((r) => !r.valid).length;
  out.write(
    `\n${results.length} tệp / files: ${results.length - invalid} hợp lệ / valid, ${invalid} sẽ bị từ chối / ` +
      `would be rejected; không lưu gì / nothing stored\n`,
  );
  return invalid > 0 ? 1 : 0;
}
