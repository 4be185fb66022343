// Hostile uploads (issue 14): one file per attack class of the security review, and the largest
// legal files, each sent to a fresh `ingest` process (POST /v1/validate, judged inside it) and then
// through POST /v1/submissions to a fresh `worker` process, both started by bin/tonghop.js with
// the shipped heap flags. Prints each process's peak RSS (VmHWM) and seconds per file; the target
// is at most 256 MB and 10 s. `node bench/hostile-upload.ts [--only NAME]…`
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  everyCellWrongCsv,
  hugeCellXlsx,
  manySharedStringsXlsx,
  sheetListedManyTimes,
  workbookOf,
} from '../test/support/hostile-files.ts';
import { spawnTonghop, type TonghopProcess } from '../test/support/processes.ts';
import { banCsv } from '../test/support/reports.ts';
import { benchDatabase, benchEnvironment, untilLive } from './support.ts';

const { values: args } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const mb = 1024 * 1024;

/** Label rows above a table (issue 14, item 4): a long title block, each row one text cell. */
function labelRowsXlsx(rows: number): Buffer {
  const label = (r: number) => `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>Ghi chú ${r}</t></is></c></row>`;
  return workbookOf(Array.from({ length: rows }, (_, i) => label(i + 1)).join(''));
}

/** A sheet of whitespace just under the uncompressed limit: the largest part the guard lets through. */
function largestPartXlsx(bytes: number): Buffer {
  return workbookOf(Buffer.alloc(bytes, ' '));
}

const header = banCsv('03166', '2023-Q2', []).trimEnd();
const validRow = (i: number) =>
  `03166,2023-Q2,Bản ${i},${50 + (i % 70)},${200 + (i % 300)},Có,Có,Không,${100 + (i % 50)},${20 + (i % 40)}`;
function largestCsv(): Buffer {
  const lines = [header];
  let size = Buffer.byteLength(header);
  for (let i = 0; size < 9.5 * mb && i < 200_000; i++) {
    const line = validRow(i);
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}
function largestJson(): Buffer {
  const rows: string[] = [];
  let size = 100;
  for (let i = 0; size < 9.5 * mb; i++) {
    const row = JSON.stringify({
      'Tên thôn/bản': `Bản ${i}`,
      'Số hộ': 50 + (i % 70),
      'Số nhân khẩu': 200 + (i % 300),
      'Có internet cáp quang': 'Có',
      'Có sóng di động': 'Có',
      'Có sóng 3G trở lên': 'Không',
      'Số người dùng điện thoại thông minh': 100 + (i % 50),
      'Số người có tài khoản thanh toán điện tử': 20 + (i % 40),
    });
    rows.push(row);
    size += Buffer.byteLength(row) + 1;
  }
  return Buffer.from(`{"form":"HTS-BAN","commune":"03166","period":"2023-Q2","rows":[${rows.join(',')}]}`);
}
function largestXlsx(): Buffer {
  const cells = (r: number, values: (string | number)[]) =>
    `<row r="${r}">${values
      .map((v, k) =>
        typeof v === 'number'
          ? `<c r="${String.fromCharCode(65 + k)}${r}"><v>${v}</v></c>`
          : `<c r="${String.fromCharCode(65 + k)}${r}" ` + `t="inlineStr"><is><t>${v}</t></is></c>`,
      )
      .join('')}</row>`;
  const rows = [
    cells(1, ['Mã xã:', '03166']),
    cells(2, ['Kỳ báo cáo:', '2023-Q2']),
    cells(3, header.split(',').slice(2)),
  ];
  for (let i = 0; i < 100_000; i++)
    rows.push(
      cells(i + 4, [`Bản ${i}`, 50 + (i % 70), 200 + (i % 300), 'Có', 'Có', 'Không', 100 + (i % 50), 20 + (i % 40)]),
    );
  return workbookOf(rows.join(''));
}

const files: { name: string; attack: string; file: string; make: () => Buffer }[] = [
  {
    name: 'every-cell-wrong',
    attack: 'High 2: 200,000 rows, every cell wrong',
    file: 'sai.csv',
    make: () => everyCellWrongCsv(200_000),
  },
  { name: 'huge-value', attack: 'High 3: one 60 MB <v>', file: 'o.xlsx', make: () => hugeCellXlsx(60 * mb, 'value') },
  {
    name: 'huge-formula',
    attack: 'High 3: one 60 MB <f>',
    file: 'o.xlsx',
    make: () => hugeCellXlsx(60 * mb, 'formula'),
  },
  {
    name: 'huge-inline',
    attack: 'High 3: one 60 MB inline string',
    file: 'o.xlsx',
    make: () => hugeCellXlsx(60 * mb, 'inline'),
  },
  {
    name: 'huge-shared',
    attack: 'High 3: one 60 MB shared string',
    file: 'o.xlsx',
    make: () => hugeCellXlsx(60 * mb, 'shared'),
  },
  {
    name: 'shared-strings-90mb',
    attack: '90 MB of shared strings, each under the cap',
    file: 'o.xlsx',
    make: () => manySharedStringsXlsx(90 * mb),
  },
  {
    name: 'sheets-2000',
    attack: 'Medium 5: 2,000 <sheet> on one part',
    file: 'o.xlsx',
    make: () => sheetListedManyTimes(2000),
  },
  {
    name: 'label-rows-80000',
    attack: 'Medium 4: 80,000 label rows',
    file: 'o.xlsx',
    make: () => labelRowsXlsx(80_000),
  },
  {
    name: 'part-95mb',
    attack: 'largest part under the 100 MB uncompressed limit',
    file: 'o.xlsx',
    make: () => largestPartXlsx(95 * mb),
  },
  {
    name: 'json-deep',
    attack: 'JSON nested 1,000,000 deep',
    file: 'o.json',
    make: () => Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`),
  },
  {
    name: 'csv-open-quote',
    attack: 'CSV with a quote never closed, 9 MB',
    file: 'o.csv',
    make: () => Buffer.from(`${header}\n03166,2023-Q2,"${'x'.repeat(9 * mb)}`),
  },
  { name: 'largest-csv', attack: 'largest legal CSV (9.5 MB)', file: 'lon.csv', make: largestCsv },
  { name: 'largest-json', attack: 'largest legal JSON (9.5 MB)', file: 'lon.json', make: largestJson },
  { name: 'largest-xlsx', attack: 'largest legal XLSX (100,000 rows)', file: 'lon.xlsx', make: largestXlsx },
];

/** CPU seconds a process has used (user + system), from /proc: on a shared machine a fairer figure than wall time. */
const cpuSeconds = (p: TonghopProcess) => {
  const fields = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const peakMb = (p: TonghopProcess) =>
  Number(/VmHWM:\s+(\d+)/u.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'))![1]) / 1024;

async function stop(p: TonghopProcess) {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

const { config, env, drop } = await benchEnvironment('hostile');
const { db, token } = await benchDatabase(
  config,
  'province_code,province_name,commune_code,commune_name\n11,Tỉnh Điện Biên,03166,Xã Mường Chà\n',
);
const port = 3800 + (process.pid % 500);
const processEnv = { ...env, PORT: String(port), LOG_LEVEL: 'error', METRICS_PORT: '0' };
const base = `http://127.0.0.1:${port}`;

type Row = {
  name: string;
  attack: string;
  bytes: number;
  validate: string;
  validateS: number;
  validateCpu: number;
  validateMb: number;
  worker: string;
  workerS: number;
  workerCpu: number;
  workerMb: number;
};
const rows: Row[] = [];
console.log(
  'hostile uploads: each file through a fresh ingest (POST /v1/validate) and a fresh worker, shipped heap flags (bin/tonghop.js)',
);
for (const spec of files.filter((f) => !args.only || args.only.includes(f.name))) {
  const bytes = spec.make();
  const ingest = spawnTonghop(['start', '--role', 'ingest'], processEnv);
  await untilLive(base, ingest);
  const form = () => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(bytes)]), spec.file);
    return f;
  };
  let cpuBefore = cpuSeconds(ingest);
  let started = performance.now();
  const checked = await fetch(`${base}/v1/validate`, {
    method: 'POST',
    body: form(),
    headers: { authorization: `Bearer ${token}` },
  })
    .then(async (r) => {
      const body = (await r.json()) as { results?: { valid: boolean; issues: { code: string }[] }[] };
      const result = body.results?.[0];
      return result
        ? result.valid
          ? 'valid'
          : `${result.issues[0]?.code} (${result.issues.length})`
        : `HTTP ${r.status}`;
    })
    .catch((e: unknown) => `failed: ${String(e).slice(0, 60)}`);
  const validateS = (performance.now() - started) / 1000;
  const validateMb = ingest.child.exitCode === null ? peakMb(ingest) : NaN;
  const validateCpu = ingest.child.exitCode === null ? cpuSeconds(ingest) - cpuBefore : NaN;
  const validate = ingest.child.exitCode === null ? checked : `ingest died (${ingest.child.exitCode})`;

  // Up (its /health/live answers) before the file is sent: its start is not the file's time.
  const worker = spawnTonghop(['start', '--role', 'worker'], { ...processEnv, METRICS_PORT: String(port + 1) });
  await untilLive(`http://127.0.0.1:${port + 1}`, worker);
  let outcome = 'not sent';
  let workerS = NaN;
  cpuBefore = cpuSeconds(worker);
  if (ingest.child.exitCode === null) {
    started = performance.now();
    const response = await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      body: form(),
      headers: { authorization: `Bearer ${token}` },
    });
    const sent = (await response.json()) as { submissions?: { id: number }[]; error?: { code: string } };
    const id = sent.submissions?.[0]?.id;
    for (;;) {
      if (id === undefined) {
        outcome = `HTTP ${response.status} ${sent.error?.code ?? ''}`;
        break;
      }
      const row = await db
        .selectFrom('submission')
        .select(['status', 'errors'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (!['queued', 'processing'].includes(row.status)) {
        const errors = (row.errors ?? []) as { code: string }[];
        outcome = row.status === 'rejected' ? `${errors[0]?.code} (${errors.length})` : row.status;
        break;
      }
      if (worker.child.exitCode !== null) {
        outcome = `worker died (${worker.child.exitCode}), left ${row.status}`;
        break;
      }
      if (performance.now() - started > 120_000) {
        outcome = `still ${row.status} after 120 s`;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    workerS = (performance.now() - started) / 1000;
  }
  const workerMb = worker.child.exitCode === null ? peakMb(worker) : NaN;
  const workerCpu = worker.child.exitCode === null ? cpuSeconds(worker) - cpuBefore : NaN;
  rows.push({
    name: spec.name,
    attack: spec.attack,
    bytes: bytes.length,
    validate,
    validateS,
    validateCpu,
    validateMb,
    worker: outcome,
    workerS,
    workerCpu,
    workerMb,
  });
  const r = rows.at(-1)!;
  const flag = (s: number, m: number) => (s > 10 || !(m <= 256) ? ' OVER' : '');
  console.log(
    `  ${r.name.padEnd(20)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KB  ` +
      `validate ${r.validate.padEnd(24)} ${r.validateS.toFixed(1).padStart(5)} s (cpu ${r.validateCpu.toFixed(1)} ` +
      `s) ${r.validateMb.toFixed(0).padStart(4)} MB${flag(r.validateCpu, r.validateMb)}  ` +
      `worker ${r.worker.padEnd(24)} ${r.workerS.toFixed(1).padStart(5)} s (cpu ${r.workerCpu.toFixed(1)} ` +
      `s) ${r.workerMb.toFixed(0).padStart(4)} MB${flag(r.workerCpu, r.workerMb)}`,
  );
  await stop(worker);
  await stop(ingest);
}

console.log(
  '\n| file | attack | size | /v1/validate (ingest) | wall s | cpu s | peak RSS MB | worker | wall s | cpu s | peak RSS MB |',
);
console.log('|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.attack} | ${(r.bytes / 1024).toFixed(0)} KB | ${r.validate} | ${r.validateS.toFixed(1)} ` +
      `| ${r.validateCpu.toFixed(1)} | ${r.validateMb.toFixed(0)} | ${r.worker} | ${r.workerS.toFixed(1)} ` +
      `| ${r.workerCpu.toFixed(1)} | ${r.workerMb.toFixed(0)} |`,
  );
}
// Seconds are judged in CPU time: wall time on a machine shared with other work measures the others too.
const over = rows.filter(
  (r) => !(r.validateCpu <= 10) || !(r.workerCpu <= 10) || !(r.validateMb <= 256) || !(r.workerMb <= 256),
);
console.log(
  `\n${rows.length} files; ${over.length} over the target (256 MB RSS, 10 CPU s)${over.length ? `: ${over.map((r) => r.name).join(', ')}` : ''}`,
);
await db.destroy();
await drop();
