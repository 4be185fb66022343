// Worker memory on a province-wide bulk file: one 100,000-row HTS-BAN report, as CSV and as XLSX,
// the same as LibreOffice saves it as .xls (65,000 rows, the most a BIFF8 sheet holds) and .ods,
// each processed by a fresh worker process whose peak RSS (VmHWM) is printed. The .xls and .ods are
// made once with LibreOffice (`soffice`, a minute or two) and kept in the temp directory; without
// LibreOffice their lines say so.
//   node bench/large-file.ts [--rows N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';
import { spawnTonghop } from '../test/support/processes.ts';
import { benchDatabase, benchEnvironment, untilLive } from './support.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const rows = Number(args.rows);
// The village form's headers, from its shipped definition.
const header = shippedFormCatalog()
  .find('HTS-BAN')!
  .fields.map((f) => f.header);
const row = (i: number) => [
  `Bản số ${i}`,
  50 + (i % 70),
  200 + (i % 300),
  i % 2 ? 'Có' : 'Không',
  'Có',
  i % 3 ? 'Có' : 'Không',
  100 + (i % 50),
  20 + (i % 40),
];

const csv = Buffer.from(
  [
    ['commune', 'period', ...header].join(','),
    ...Array.from({ length: rows }, (_, i) => ['90001', '2023-Q2', ...row(i)].join(',')),
  ].join('\n'),
);
async function workbook(commune: string, count: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Số liệu');
  ws.addRow(['Mã xã:', commune]);
  ws.addRow(['Kỳ báo cáo:', '2023-Q2']);
  ws.addRow(header);
  for (let i = 0; i < count; i += 1) ws.addRow(row(i));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const xlsx = await workbook('90002', rows);

/** The report as LibreOffice saves it in `format`, converted once and cached; null without LibreOffice. */
async function officeCopy(commune: string, count: number, format: 'xls' | 'ods'): Promise<Buffer | null> {
  const dir = join(tmpdir(), `tonghop-bench-office-${commune}-${count}`);
  const out = join(dir, `bulk.${format}`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bulk.xlsx'), await workbook(commune, count));
    try {
      execFileSync(
        'soffice',
        [
          '--headless',
          `-env:UserInstallation=file://${dir}/profile`,
          '--convert-to',
          format,
          '--outdir',
          dir,
          join(dir, 'bulk.xlsx'),
        ],
        { stdio: 'ignore' },
      );
    } catch {
      return null;
    }
  }
  return existsSync(out) ? readFileSync(out) : null;
}
const xlsRows = Math.min(rows, 65_000);
const xls = await officeCopy('90004', xlsRows, 'xls');
const ods = await officeCopy('90005', rows, 'ods');
// JSON spells every header on every row: as many rows as MAX_FILE_BYTES lets through (the largest JSON file allowed).
const jsonRows: string[] = [];
let jsonBytes = 100;
for (let i = 0; i < rows; i += 1) {
  const text = JSON.stringify(Object.fromEntries(header.map((h, k) => [h, row(i)[k]])));
  jsonBytes += Buffer.byteLength(text) + 1;
  if (jsonBytes > 10 * 1024 * 1024) break;
  jsonRows.push(text);
}
const json = Buffer.from(`{"form":"HTS-BAN","commune":"90003","period":"2023-Q2","rows":[${jsonRows.join(',')}]}`);

const { config, env, drop } = await benchEnvironment('large');
const { db, token } = await benchDatabase(
  config,
  'province_code,province_name,commune_code,commune_name\n99,Tỉnh Thử,90001,Xã Một\n99,Tỉnh Thử,90002,Xã ' +
    'Hai\n99,Tỉnh Thử,90003,Xã Ba\n99,Tỉnh Thử,90004,Xã Bốn\n99,Tỉnh Thử,90005,Xã Năm\n',
);
// BENCH_CHILD_NODE_OPTIONS: Node options for the tonghop processes only (e.g. to try heap limits), not this client.
const processEnv = {
  ...env,
  PORT: String(3300 + (process.pid % 500)),
  LOG_LEVEL: 'warn',
  METRICS_PORT: '0',
  ...(process.env.BENCH_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS } : {}),
};
const ingest = spawnTonghop(['start', '--role', 'ingest'], processEnv);
const base = `http://127.0.0.1:${processEnv.PORT}`;
await untilLive(base, ingest);

console.log(
  `large file benchmark: ${rows} village rows; limits MAX_ROWS=${config.MAX_ROWS}, MAX_FILE_BYTES=${config.MAX_FILE_BYTES}`,
);
for (const [name, bytes, count] of [
  ['CSV', csv, rows],
  ['XLSX', xlsx, rows],
  ['JSON', json, jsonRows.length],
  ['XLS', xls, xlsRows],
  ['ODS', ods, rows],
] as const) {
  if (bytes === null) {
    console.log(`  ${name.padEnd(4)} skipped: LibreOffice (soffice) is not installed to make it`);
    continue;
  }
  const worker = spawnTonghop(['start', '--role', 'worker'], processEnv);
  await new Promise((r) => setTimeout(r, 1500));
  const idle = Number(/VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${worker.child.pid}/status`, 'utf8'))![1]) / 1024;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), `bulk.${name.toLowerCase()}`);
  const started = performance.now();
  const r = await fetch(`${base}/v1/submissions`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const id = ((await r.json()) as { submissions: { id: number }[] }).submissions[0]!.id;
  let status = 'queued';
  while (status === 'queued' || status === 'processing') {
    await new Promise((res) => setTimeout(res, 200));
    status = (await db.selectFrom('submission').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = Number(/VmHWM:\s+(\d+)/u.exec(readFileSync(`/proc/${worker.child.pid}/status`, 'utf8'))![1]) / 1024;
  const rate = Math.round(count / seconds).toLocaleString('en');
  console.log(
    `  ${name.padEnd(4)} ${(bytes.length / 1e6).toFixed(1)} MB, ${count} rows: ${status} in ${seconds.toFixed(1)} ` +
      `s (${rate} rows/s, upload to decision); worker RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (${(peak - idle).toFixed(0)} MB over idle)`,
  );
  worker.child.kill('SIGTERM');
  await worker.exited;
}
ingest.child.kill('SIGTERM');
await ingest.exited;
await db.destroy();
await drop();
