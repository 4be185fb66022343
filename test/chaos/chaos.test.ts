import { describe, expect, it, inject } from 'vitest';
import { chaosPassed, formatChaosReport } from './chaos-report.ts';
import { runChaos } from './run-chaos.ts';

// The small chaos run of `npm test` (bench/chaos.ts is the big one): ~150 files through a real
// ingest, two worker processes and a rollup process, with one worker killed while it holds jobs,
// one FLUSHALL of the run's own redis-server and one drop of every connection to its own database.
describe('chaos, small', () => {
  it('loses nothing and counts nothing twice through a worker kill, a Redis flush and a Postgres connection drop', {
    timeout: 420_000,
  }, async () => {
    const report = await runChaos({
      universe: {
        seed: 5,
        provinces: 2,
        districtsPerProvince: 2,
        communesPerDistrict: 9,
        periods: ['2023-Q3', '2023-Q4'],
        corrections: 0.08,
        duplicates: 0.05,
        broken: 0.03,
        missing: 0.02,
        notEnqueued: 0.02,
      },
      baseDatabaseUrl: inject('databaseUrl'),
      workers: 2,
      killEveryMs: 2000,
      maxKills: 1,
      killWhenBusy: true,
      flushAt: 0.35,
      dropAt: 0.65,
      uploadConcurrency: 4,
      settleTimeoutMs: 300_000,
      // Locks of 5 s: a killed worker's jobs come back within seconds rather than a minute.
      env: { JOB_LOCK_S: '5' },
    });
    console.log(formatChaosReport(report));
    expect(report.verdict.filesSent).toBeGreaterThanOrEqual(150);
    expect(report.faults.map((f) => f.kind).sort()).toEqual(['drop', 'flush', 'kill', 'no-enqueue']);
    expect(report.verdict.lost).toEqual([]);
    expect(report.verdict.countedTwice).toEqual([]);
    expect(report.verdict.wrongOutcome).toEqual([]);
    expect(report.verdict.snapshotMismatches).toEqual([]);
    expect(chaosPassed(report)).toBe(true);
  });
});
