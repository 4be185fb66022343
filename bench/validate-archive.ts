// Ingest memory on "check before sending" a large ZIP archive (issue 22: every process ≤ 256 MB RSS):
// N village-form CSVs of about 1 MB each, stored (not deflated), POST /v1/validate'd to a fresh
// ingest process whose RSS is read before (after a small warm-up validate) and at its peak (VmHWM,
// reset after the warm-up through /proc/<pid>/clear_refs), and its V8 heap in use and its memory
// outside it (Buffers: where an archive held whole lies) sampled from /metrics every 100 ms, their
// highest printed over their level before. The archive's files are valid, so
// the archive is also kept for "send by check" (CHECKED_FILE_MAX_BYTES, 50 MiB by default).
//   node bench/validate-archive.ts [--files 40] [--rows 16000]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { shippedFormCatalog } from '../src/forms/shipped-forms.ts';
import { spawnTonghop } from '../test/support/processes.ts';
import { zipOf } from '../test/support/report-files.ts';
import { benchDatabase, benchEnvironment, untilLive } from './support.ts';

const { values: args } = parseArgs({
  options: { files: { type: 'string', default: '40' }, rows: { type: 'string', default: '16000' } },
});
const header = shippedFormCatalog()
  .find('HTS-BAN')!
  .fields.map((f) => f.header);
const csv = (rows: number) =>
  Buffer.from(
    [
      ['commune', 'period', ...header].join(','),
      ...Array.from({ length: rows }, (_, i) =>
        [
          '90001',
          '2023-Q2',
          `Bản số ${i}`,
          50 + (i % 70),
          200 + (i % 300),
          'Có',
          'Có',
          'Không',
          100 + (i % 50),
          20,
        ].join(','),
      ),
    ].join('\n'),
  );
const one = csv(Number(args.rows));
const archive = zipOf(
  Array.from({ length: Number(args.files) }, (_, i) => ({ name: `xa-${i}.csv`, data: one, store: true })),
);

const { config, env, drop } = await benchEnvironment('validate_archive');
const { db, token } = await benchDatabase(
  config,
  'province_code,province_name,commune_code,commune_name\n99,Tỉnh Thử,90001,Xã Một\n',
);
const processEnv = {
  ...env,
  PORT: String(3300 + (process.pid % 500)),
  METRICS_PORT: '0',
  // One archive of this size is let through; the limits themselves are not what is measured.
  MAX_FILE_BYTES: String(64 * 1024 * 1024),
  MAX_REQUEST_BYTES: String(64 * 1024 * 1024),
  MAX_ARCHIVE_BYTES: String(64 * 1024 * 1024),
};
const ingest = spawnTonghop(['start', '--role', 'ingest'], processEnv);
const base = `http://127.0.0.1:${processEnv.PORT}`;
await untilLive(base, ingest);

const status = () => readFileSync(`/proc/${ingest.child.pid}/status`, 'utf8');
const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`, 'u').exec(status())![1]) / 1024;
async function check(bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'tinh.zip');
  const r = await fetch(`${base}/v1/validate`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await r.json()) as { results?: { valid: boolean }[]; checked?: unknown[] };
  return { status: r.status, valid: body.results?.filter((x) => x.valid).length ?? 0, kept: body.checked?.length ?? 0 };
}
await check(zipOf([{ name: 'xa.csv', data: csv(100) }]));
await new Promise((r) => setTimeout(r, 500));
writeFileSync(`/proc/${ingest.child.pid}/clear_refs`, '5');
/** The process's heap in use and its external memory (Buffers), in MB, as /metrics says now. */
async function sample() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const of = (name: string) => Number(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)`, 'mu').exec(text)![2]) / 1e6;
  return { heap: of('nodejs_heap_size_used_bytes'), external: of('nodejs_external_memory_bytes') };
}
const idle = mb('VmRSS');
const before = await sample();
const high = { ...before };
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const now = await sample();
    high.heap = Math.max(high.heap, now.heap);
    high.external = Math.max(high.external, now.external);
    await new Promise((r) => setTimeout(r, 100));
  }
})();
const started = performance.now();
const answer = await check(archive);
const seconds = (performance.now() - started) / 1000;
sampling = false;
await sampler;
const peak = mb('VmHWM');
console.log(
  `validate of a ${(archive.length / 1e6).toFixed(1)} MB archive (${args.files} stored CSVs of ${(one.length / 1e6).toFixed(2)} MB): ` +
    `${answer.status}, ${answer.valid} valid, ${answer.kept} kept, in ${seconds.toFixed(1)} s; ingest RSS before ${idle.toFixed(0)} MB, ` +
    `peak ${peak.toFixed(0)} MB (+${(peak - idle).toFixed(0)} MB); heap used ${before.heap.toFixed(0)} → at most ` +
    `${high.heap.toFixed(0)} MB, external ${before.external.toFixed(0)} → at most ${high.external.toFixed(0)} MB`,
);
ingest.child.kill('SIGTERM');
await ingest.exited;
await db.destroy();
await drop();
