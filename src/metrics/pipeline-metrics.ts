import { Gauge, type Registry } from 'prom-client';
import type { Deps } from '../deps.ts';
import { probeDependencies } from '../health/probe.ts';
import { submissionStatuses } from '../schema/database.ts';
import { lagSeconds, oldestUnsnapshotted } from './snapshot-lag.ts';

/**
 * Figures of the whole pipeline read from Postgres (the record) at each scrape. The ingest
 * process serves them; every process reading the same rows would only repeat them.
 */
export function registerPipelineMetrics(registry: Registry, deps: Pick<Deps, 'db' | 'queues' | 'now'>): void {
  const { db } = deps;
  new Gauge({
    name: 'tonghop_submissions',
    help: 'Submissions by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await db
          .selectFrom('submission')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .execute();
        const byStatus = new Map(rows.map((r) => [r.status, Number(r.n)]));
        for (const status of submissionStatuses) this.set({ status }, byStatus.get(status) ?? 0);
      } catch {
        // Left out: see tonghop_dependency_up{dependency="postgres"}.
      }
    },
  });
  new Gauge({
    name: 'tonghop_snapshot_lag_seconds',
    help: 'Age of the oldest accepted submission that is not yet in its province-period snapshot; 0 when every snapshot is current.',
    registers: [registry],
    async collect() {
      this.reset();
      try {
        this.set(lagSeconds(await oldestUnsnapshotted(db), deps.now()));
      } catch {
        // Left out: see tonghop_dependency_up{dependency="postgres"}.
      }
    },
  });
  new Gauge({
    name: 'tonghop_rollups_due',
    help: 'Province-periods changed since their last rollup.',
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const row = await db
          .selectFrom('rollup_due')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      } catch {
        // Left out: see tonghop_dependency_up{dependency="postgres"}.
      }
    },
  });
  new Gauge({
    name: 'tonghop_dependency_up',
    help: 'Whether Postgres and Redis answer (1) or not (0), and (dependency="migrations") whether the schema is current, as /health/ready sees them.',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const probe = await probeDependencies(deps);
      for (const [dependency, state] of Object.entries(probe)) this.set({ dependency }, state === 'ok' ? 1 : 0);
    },
  });
}
