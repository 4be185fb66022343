import { Gauge, type Registry } from 'prom-client';
import type { Queues } from '../queue/queues.ts';

export const jobStates = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

const timeoutMs = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Queue figures read from Redis at each scrape, so they are the queues' state rather than one
 * process's view. A read that fails leaves the series out (and `tonghop_dependency_up` says why)
 * instead of failing the whole scrape.
 */
export function registerQueueMetrics(registry: Registry, queues: Queues): void {
  const all = [queues.normalize, queues.rollup];
  new Gauge({
    name: 'tonghop_queue_jobs',
    help: 'Jobs in each queue by state (failed jobs are kept for an operator to inspect and retry; completed ones are trimmed to the last 1000).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await withTimeout(Promise.all(all.map((q) => q.getJobCounts(...jobStates))));
        all.forEach((q, i) => {
          for (const state of jobStates) this.set({ queue: q.name, state }, counts[i]![state] ?? 0);
        });
      } catch {
        // Left out: see tonghop_dependency_up{dependency="redis"}.
      }
    },
  });
  new Gauge({
    name: 'tonghop_queue_workers',
    help: 'Worker connections consuming each queue, across every process and host (Redis CLIENT LIST).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await withTimeout(Promise.all(all.map((q) => q.getWorkersCount())));
        all.forEach((q, i) => this.set({ queue: q.name }, counts[i]!));
      } catch {
        // Left out: see tonghop_dependency_up{dependency="redis"}.
      }
    },
  });
}
