import { readFile, readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { createToken } from '../../src/accounts/tokens.ts';
import type { Queues } from '../../src/queue/queues.ts';
import type { Role, ScopeLevel } from '../../src/schema/database.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';

export const fixtures = new URL('../fixtures/', import.meta.url).pathname;
export const namPo = join(fixtures, 'nam-po');

/** The 15 communes of Huyện Nậm Pồ (103) before the 2025 reform, in code order: the fixtures' units.csv, one report of each form apiece. */
export const namPoCommunes = [
  '03156',
  '03165',
  '03166',
  '03167',
  '03168',
  '03169',
  '03170',
  '03171',
  '03173',
  '03174',
  '03175',
  '03176',
  '03187',
  '03198',
  '03199',
] as const;

export async function importUnitFile(db: Db, path: string, dates: { validFrom?: string; validTo?: string } = {}) {
  return importUnits(db, unitsFromCsv(await readFile(path, 'utf8'), dates));
}

/** Province tokens in tests are a province office's, which submits for its communes: submit and read unless said otherwise. */
export async function tokenFor(
  db: Db,
  level: ScopeLevel,
  code: string | null = null,
  roles?: readonly Role[],
): Promise<string> {
  return (
    await createToken(db, { level, code, roles: roles ?? (level === 'province' ? ['submit', 'read'] : undefined) })
  ).token;
}

export type FileToSend = { name: string; bytes: Buffer | string };

export async function namPoFiles(filter: (name: string) => boolean = () => true): Promise<FileToSend[]> {
  const names = (await readdir(namPo)).filter((n) => /-hts-(ban|xa)-/u.test(n) && filter(n)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(namPo, name)) })));
}

/** POST /v1/submissions as a client does it: multipart, a bearer token, optional fields and headers. */
export const upload = (
  baseUrl: string,
  token: string | null,
  files: readonly FileToSend[],
  fields: Record<string, string | readonly string[]> = {},
  headers: Record<string, string> = {},
) => postFiles('/v1/submissions', baseUrl, token, files, fields, headers);

/**
 * A client that goes away in the middle of the file it sends to `path` (an archive, named a.zip):
 * the first `sent` bytes, then `meanwhile` (the request being read), then the socket closed.
 */
export async function abandonUpload(
  baseUrl: string,
  token: string,
  path: string,
  sent: Buffer,
  meanwhile: () => Promise<unknown> = () => new Promise((r) => setTimeout(r, 200)),
): Promise<void> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await new Promise<void>((resolve) => socket.on('connect', resolve));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ` +
      'multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n' +
      '--B\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\nContent-Type: application/zip\r\n\r\n',
  );
  socket.write(sent);
  try {
    await meanwhile();
  } finally {
    socket.destroy();
    await closed;
  }
}

/** POST /v1/validate ("check before sending"), the same multipart. */
export const validate = (baseUrl: string, token: string | null, files: readonly FileToSend[]) =>
  postFiles('/v1/validate', baseUrl, token, files);

async function postFiles(
  path: string,
  baseUrl: string,
  token: string | null,
  files: readonly FileToSend[],
  fields: Record<string, string | readonly string[]> = {},
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of typeof v === 'string' ? [v] : v) form.append(k, one);
  for (const f of files)
    form.append(
      'file',
      new Blob([new Uint8Array(typeof f.bytes === 'string' ? Buffer.from(f.bytes) : f.bytes)]),
      f.name,
    );
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    body: form,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return { status: response.status, body: (await response.json()) as any };
}

export async function getJson(baseUrl: string, token: string | null, path: string) {
  const response = await fetch(new URL(path, baseUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, headers: response.headers };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until every submission is decided and no rollup is due, waiting or running: the snapshots are final. */
export async function settled(db: Db, queues: Queues, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const pending = await db
        .selectFrom('submission')
        .select('id')
        .where('status', 'in', ['queued', 'processing'])
        .limit(1)
        .execute();
      if (pending.length > 0) return false;
      const due = await db.selectFrom('rollup_due').select('province_code').limit(1).execute();
      if (due.length > 0) return false;
      const counts = await queues.rollup.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    },
    'the pipeline to settle',
    timeoutMs,
  );
}

export async function snapshotRow(db: Db, level: string, unit: string, period: string, indicator: string) {
  const row = await db
    .selectFrom('analytics.indicator_snapshot')
    .selectAll()
    .where('level', '=', level as any)
    .where('unit_code', '=', unit)
    .where('period', '=', period)
    .where('indicator', '=', indicator)
    .executeTakeFirst();
  expect(row, `${level} ${unit} ${period} ${indicator}`).toBeDefined();
  return row!;
}
