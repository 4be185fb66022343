import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RawMeta } from '../schema/raw-table.ts';
import { serviceUnreachable } from '../service-unreachable.ts';
import { fetchRetrying, formatRetryNotice, type RetryNotice } from './retrying-fetch.ts';
import { type FigureRow, figureCells, figureColumns, formatTable } from './table.ts';

/** A file the server did not take, named in its message (`tên tệp: lý do`). */
type Refused = { filename: string | null; code: string; message: { vi: string; en: string } };
type Stored = { submissions: { id: number; filename: string | null; archive?: string }[]; refused: Refused[] };

/** The refusals an error answer carries when none of a request's files was taken. */
function refusalsOf(error: unknown): Refused[] | null {
  const details = (error as { details?: unknown }).details;
  return Array.isArray(details) &&
    details.length > 0 &&
    details.every((d) => d && typeof d === 'object' && 'filename' in d && 'message' in d)
    ? (details as Refused[])
    : null;
}

type Status = {
  id: number;
  status: string;
  form: string | null;
  commune: string | null;
  period: string | null;
  version: number | null;
  errors: {
    row: number | null;
    column: string | null;
    value: string | null;
    code: string;
    message: { vi: string; en: string };
  }[];
  warnings?: Status['errors'];
  finished_at: string | null;
};

const terminal = new Set(['accepted', 'rejected', 'duplicate', 'superseded']);

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * One call to the server's API, tried again through an outage (cli/retrying-fetch.ts), each wait
 * told to `notice` (by default on stderr, a line of its own); a server that still does not answer
 * after the bound is named with its URL and how to start it. An error reply other than "not now"
 * is thrown with its message. A FormData body is sent anew on each try.
 */
export async function api(
  base: string,
  token: string,
  path: string,
  init: RequestInit = {},
  notice: (n: RetryNotice) => void = (n) => void process.stderr.write(`${formatRetryNotice(n)}\n`),
  giveUpAfterMs?: number,
): Promise<unknown> {
  const response = await fetchRetrying(
    new URL(path, base),
    () => ({ ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } }),
    notice,
    giveUpAfterMs === undefined ? {} : { giveUpAfterMs },
  ).catch((error: unknown) =>
    Promise.reject(error instanceof TypeError ? serviceUnreachable('tonghop', base, error) : error),
  );
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { message?: { vi: string; en: string }; details?: unknown } } | null)?.error;
    const message = error?.message;
    throw Object.assign(
      new Error(`${response.status} ${message ? `${message.vi} / ${message.en}` : response.statusText}`),
      { details: error?.details },
    );
  }
  return body;
}

/**
 * Uploads files, follows each until it is decided, prints a summary, every error of every
 * rejected file, and the snapshots of the periods touched. Returns the exit code: 1 if any was rejected.
 */
export async function submitFiles(options: SubmitOptions): Promise<number> {
  try {
    return await sendAndFollow(options);
  } catch (error) {
    // The progress bar leaves its line open: the error the caller prints starts on a line of its own.
    options.out.write('\n');
    throw error;
  }
}

type SubmitOptions = {
  url: string;
  token: string;
  files: readonly string[];
  given: RawMeta;
  out: NodeJS.WritableStream;
  waitSeconds?: number;
  /** How long a server that does not answer, or answers "not now", is tried again (CLIENT_RETRY_S). */
  retryForMs?: number;
};

async function sendAndFollow(options: SubmitOptions): Promise<number> {
  const { url, token, out } = options;
  const ids: { id: number; file: string }[] = [];
  const refused: Refused[] = [];
  let drawn: [string, number, number] | null = null;
  const draw = (label: string, done: number, total: number) => {
    drawn = [label, done, total];
    out.write(`\r${label} ${bar(done, total)}`);
  };
  // An outage is told on a line of its own, under the bar, which is then drawn again below it.
  const notice = (n: RetryNotice) => {
    out.write(`\n${formatRetryNotice(n)}\n`);
    if (drawn) draw(...drawn);
  };
  for (const [i, path] of options.files.entries()) {
    draw('Đang gửi / uploading ', i, options.files.length);
    const bytes = new Uint8Array(await readFile(path));
    // The same key on every try of this file: a try whose answer was lost is not stored twice (SPEC §4.3).
    const key = `tonghop-submit-${randomUUID()}`;
    const form = () => {
      const f = new FormData();
      for (const [k, v] of Object.entries(options.given)) if (v) f.append(k, v);
      f.append('file', new Blob([bytes]), basename(path));
      return f;
    };
    let body: Stored;
    try {
      body = (await api(
        url,
        token,
        '/v1/submissions',
        { method: 'POST', body: form(), headers: { 'idempotency-key': key } },
        notice,
        options.retryForMs,
      )) as Stored;
    } catch (error) {
      // A file the server does not take is named and counted; the next file is still sent.
      const named = refusalsOf(error);
      if (named === null) throw error;
      refused.push(...named);
      continue;
    }
    // A ZIP archive is one submission per file in it, each named by its path in the archive.
    for (const s of body.submissions)
      ids.push({ id: s.id, file: s.archive ? `${s.archive}/${s.filename ?? ''}` : (s.filename ?? basename(path)) });
    refused.push(...(body.refused ?? []));
  }
  draw('Đang gửi / uploading ', options.files.length, options.files.length);
  out.write('\n');

  const deadline = Date.now() + (options.waitSeconds ?? 120) * 1000;
  const statuses = new Map<number, Status>();
  while (statuses.size < ids.length && Date.now() < deadline) {
    for (const { id } of ids) {
      if (statuses.has(id)) continue;
      const s = (await api(url, token, `/v1/submissions/${id}`, {}, notice, options.retryForMs)) as Status;
      if (terminal.has(s.status)) statuses.set(id, s);
    }
    draw('Đang xử lý / processing', statuses.size, ids.length);
    if (statuses.size < ids.length) await new Promise((r) => setTimeout(r, 300));
  }
  out.write('\n\n');

  const rows = ids.map(({ id, file }) => {
    const s = statuses.get(id);
    return [file, id, s?.status ?? 'pending', s?.form, s?.commune, s?.period, s?.version];
  });
  out.write(`${formatTable(['file', 'id', 'status', 'form', 'commune', 'period', 'version'], rows)}\n`);
  for (const { id, file } of ids) {
    const s = statuses.get(id);
    if (s?.status !== 'rejected') continue;
    out.write(`\n${file} — bị từ chối / rejected:\n`);
    out.write(
      `${formatTable(
        ['row', 'column', 'value', 'code', 'lỗi', 'error'],
        s.errors.map((e) => [e.row, e.column, e.value, e.code, e.message.vi, e.message.en]),
      )}\n`,
    );
  }

  for (const { id, file } of ids) {
    const s = statuses.get(id);
    if (s?.status !== 'accepted' || (s.warnings ?? []).length === 0) continue;
    out.write(`\n${file} — được nhận, có cảnh báo / accepted with warnings:\n`);
    out.write(
      `${formatTable(
        ['column', 'value', 'code', 'cảnh báo', 'warning'],
        s.warnings!.map((e) => [e.column, e.value, e.code, e.message.vi, e.message.en]),
      )}\n`,
    );
  }

  if (refused.length > 0) {
    out.write(`\nKhông được nhận / not taken:\n`);
    for (const r of refused) out.write(`  ${r.message.vi}\n  ${r.message.en}\n`);
  }

  const periods = [...new Set([...statuses.values()].filter((s) => s.status === 'accepted').map((s) => s.period!))];
  const lastFinished = Math.max(0, ...[...statuses.values()].map((s) => Date.parse(s.finished_at ?? '') || 0));
  for (const period of periods) {
    let rows: (FigureRow & { computed_at: string })[] = [];
    while (Date.now() < deadline) {
      const body = (await api(
        url,
        token,
        `/v1/snapshots?period=${encodeURIComponent(period)}`,
        {},
        notice,
        options.retryForMs,
      )) as { snapshots: typeof rows };
      // A province's or the nation's figures where the caller may read them; a commune's token reads its own commune only.
      const above = body.snapshots.filter((r) => r.level !== 'commune');
      rows = above.length > 0 ? above : body.snapshots;
      if (rows.length > 0 && rows.every((r) => Date.parse(r.computed_at) >= lastFinished)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    out.write(`\nSnapshot ${period}:\n`);
    out.write(`${formatTable(figureColumns, rows.map(figureCells))}\n`);
  }
  const rejected = [...statuses.values()].filter((s) => s.status === 'rejected').length;
  const pending = ids.length - statuses.size;
  const notTaken = refused.length > 0 ? `, ${refused.length} không được nhận / not taken` : '';
  out.write(
    `\n${ids.length + refused.length} tệp / files: ${ids.length - rejected - pending} ok, ${rejected} bị từ chối ` +
      `/ rejected${notTaken}${pending ? `, ${pending} chưa xong / not finished` : ''}\n`,
  );
  return rejected > 0 || pending > 0 || refused.length > 0 ? 1 : 0;
}
