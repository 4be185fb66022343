// npm run chaos: at least 2,000 commune reports through the real pipeline (ingest in this process,
// 2 worker processes and a rollup process as `tonghop start` children) while it is hurt on purpose:
// a worker or the rollup process SIGKILLed every few seconds and restarted, Redis flushed once, every
// Postgres connection to the run's database terminated once, and some submissions committed but
// never enqueued. Then every outcome and every snapshot figure is compared with plain sums of the
// files sent. Exit 1 on any loss, double count or mismatch.
//
// Why connections are dropped rather than Postgres restarted: the Postgres on this machine is shared
// with other engineers' tests, and restarting it would break theirs. Terminating every backend of our
// own database (pg_terminate_backend) is what a restart looks like from our processes: 57P01 on
// every query in flight, then "Connection terminated" on every pooled client. The run starts its own
// redis-server (FLUSHALL must never hit the shared one) and its own database, both removed at the end.
//
// Settings (environment): CHAOS_SEED, CHAOS_PROVINCES (4), CHAOS_DISTRICTS (2), CHAOS_COMMUNES (60
// per district), CHAOS_KILL_EVERY_MS (4000), JOB_LOCK_S (30, as in production: a killed worker's
// jobs are taken over after one to two lock periods), BENCH_DATABASE_URL.
import { chaosPassed, formatChaosReport } from '../test/chaos/chaos-report.ts';
import { runChaos } from '../test/chaos/run-chaos.ts';

const env = process.env;
const seed = Number(env.CHAOS_SEED ?? Date.now() % 100_000);
const report = await runChaos({
  universe: {
    seed,
    provinces: Number(env.CHAOS_PROVINCES ?? 4),
    districtsPerProvince: Number(env.CHAOS_DISTRICTS ?? 2),
    communesPerDistrict: Number(env.CHAOS_COMMUNES ?? 60),
    periods: ['2023-Q3', '2023-Q4'],
    corrections: 0.08,
    duplicates: 0.05,
    broken: 0.015,
    missing: 0.02,
    notEnqueued: 0.01,
  },
  baseDatabaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  workers: 2,
  killEveryMs: Number(env.CHAOS_KILL_EVERY_MS ?? 4000),
  flushAt: 0.35,
  dropAt: 0.65,
  uploadConcurrency: 8,
  env: env.JOB_LOCK_S ? { JOB_LOCK_S: env.JOB_LOCK_S } : {},
  progress: (line) => console.log(line),
});
console.log('');
console.log(formatChaosReport(report));
const passed = chaosPassed(report);
console.log(passed ? 'CHAOS RUN PASSED' : 'CHAOS RUN FAILED');
process.exit(passed ? 0 : 1);
