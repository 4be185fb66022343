import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { connectDb, ensureDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { openFormCatalog } from './forms/form-catalog.ts';
import { seedShippedForms } from './forms/shipped-forms.ts';
import { createLogger } from './log.ts';
import { listenMetrics } from './metrics/metrics-server.ts';
import { registerPipelineMetrics } from './metrics/pipeline-metrics.ts';
import { registerQueueMetrics } from './metrics/queue-metrics.ts';
import { createRegistry } from './metrics/registry.ts';
import { timedProcessor, timedRollup } from './metrics/timed-processor.ts';
import { countReconciled, createWorkerMetrics } from './metrics/worker-metrics.ts';
import { checkRedis } from './queue/check-redis.ts';
import { workerConnection } from './queue/connections.ts';
import { createQueues, queueNames } from './queue/queues.ts';
import { createNormalizeProcessor } from './workers/normalize/processor.ts';
import { lowerBatchPriority } from './workers/batch-priority.ts';
import { reconcile } from './workers/reconciler.ts';
import { watchServiceReturns } from './workers/service-returns.ts';
import { createRollupProcessor } from './workers/rollup/processor.ts';

export const roles = ['all', 'ingest', 'worker', 'rollup'] as const;
export type Role = (typeof roles)[number];

export type Running = {
  readonly deps: Deps;
  /** The ingest service's address, when this process serves HTTP. */
  readonly url: string | null;
  readonly app: FastifyInstance | null;
  /** The `/metrics` listener of a `worker` or `rollup` process (METRICS_PORT). */
  readonly metricsUrl: string | null;
  /** Stops taking work, finishes what is in flight, then closes HTTP, workers, the metrics listener, queues and the pool, in that order. */
  stop(): Promise<void>;
};

/**
 * The composition root: one process of the given role. `ingest` serves HTTP; `worker` runs the
 * normalize worker and the reconciler; `rollup` runs the rollup worker; `all` runs everything.
 */
export async function start(
  config: Config,
  role: Role,
  options: { log?: Logger; now?: () => Date } = {},
): Promise<Running> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  await checkRedis(config.REDIS_URL);
  const serves = role === 'all' || role === 'ingest';
  if (role === 'worker' || role === 'rollup') lowerBatchPriority(config.BATCH_NICE, log);
  // A serving process sends the same small SELECTs request after request: prepared, they are planned once (connect.ts).
  const db = connectDb(config.DATABASE_URL, {
    max: serves ? 10 : 2,
    name: `tonghop-${role}`,
    prepare: serves && config.DATABASE_PREPARE,
  });
  await migrateToLatest(db);
  await seedShippedForms(db);
  const forms = await openFormCatalog(db, {
    pollMs: config.FORMS_POLL_MS,
    onError: (err) => log.warn({ err }, 'form catalog poll failed'),
  });
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const deps: Deps = { db, queues, log, config, forms, now: options.now ?? (() => new Date()) };
  // Workers write only what they can write again (db/connect.ts), so their commits need not wait for the disk.
  // A worker writes one batch at a time (normalize/processor.ts): a few connections serve any concurrency.
  const workDb =
    role === 'ingest'
      ? null
      : connectDb(config.DATABASE_URL, { relaxedCommit: true, max: 8, name: `tonghop-${role}-work` });
  const workerDeps: Deps = workDb ? { ...deps, db: workDb } : deps;
  const registry = createRegistry(role);
  const metrics = createWorkerMetrics(registry);

  // Listening comes first: a port already taken fails the start before any job is taken.
  let app: FastifyInstance | null = null;
  let url: string | null = null;
  let metricsServer: FastifyInstance | null = null;
  let metricsUrl: string | null = null;
  try {
    if (role === 'all' || role === 'ingest') {
      registerQueueMetrics(registry, queues);
      registerPipelineMetrics(registry, deps);
      // Only a serving process loads the HTTP app (routes, pages, dashboard): a worker stays smaller.
      const { buildApp } = await import('./ingest/app.ts');
      app = await buildApp(deps, config.METRICS_SEPARATE_PORT ? {} : { metrics: registry });
      url = await app.listen({ port: config.PORT, host: config.HOST });
    }
    if (!app || config.METRICS_SEPARATE_PORT) {
      ({ url: metricsUrl, server: metricsServer } = await listenMetrics(deps, registry, {
        port: config.METRICS_PORT,
        host: config.HOST,
      }));
    }
  } catch (error) {
    forms.stop();
    await app?.close();
    await queues.close();
    await workDb?.destroy();
    await db.destroy();
    throw error;
  }

  const workers: Worker[] = [];
  const connection = workerConnection(config.REDIS_URL);
  // Stored on each job it takes (`processedBy`): the dashboard shows which process ran what.
  const name = config.WORKER_NAME ?? `${hostname()}-${process.pid}`;
  const locks = { lockDuration: config.JOB_LOCK_S * 1000, stalledInterval: config.JOB_LOCK_S * 1000 };
  if (role === 'all' || role === 'worker') {
    const processor = timedProcessor(metrics.jobDuration, queueNames.normalize, createNormalizeProcessor(workerDeps));
    workers.push(
      new Worker(queueNames.normalize, processor, {
        name,
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.NORMALIZE_CONCURRENCY,
        ...locks,
      }),
    );
  }
  if (role === 'all' || role === 'rollup') {
    const processor = timedProcessor(
      metrics.jobDuration,
      queueNames.rollup,
      timedRollup(metrics.rollupDuration, createRollupProcessor(workerDeps)),
    );
    workers.push(
      new Worker(queueNames.rollup, processor, {
        name,
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: 2,
        ...locks,
      }),
    );
  }
  for (const w of workers) {
    w.on('failed', (job, err) =>
      log.warn({ queue: w.name, jobId: job?.id, ...job?.data, attemptsMade: job?.attemptsMade, err }, 'job failed'),
    );
    w.on('error', (err) => log.error({ queue: w.name, err }, 'worker error'));
  }

  let sweep: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> = Promise.resolve();
  let returns: { stop(): Promise<void> } | null = null;
  let stopping = false;
  let retry: NodeJS.Timeout | null = null;
  if (role === 'all' || role === 'worker') {
    // One sweep at a time per process: after a flush a sweep can outlast the interval.
    let busy = false;
    // A full sweep (everything pending, not only the stale) is owed after Redis or Postgres came back, until one succeeds.
    let fullOwed = false;
    const run = () => {
      if (busy) return;
      busy = true;
      const full = fullOwed;
      fullOwed = false;
      let failed = false;
      sweeping = reconcile(workerDeps, full ? { staleAfterS: 0 } : {})
        .then((reconciled) => countReconciled(metrics, reconciled))
        .catch((err: unknown) => {
          metrics.reconcilerSweeps.inc({ outcome: 'error' });
          log.warn({ err, full }, 'reconciler sweep failed');
          failed = true;
          if (full) fullOwed = true;
        })
        .finally(() => {
          busy = false;
          if (fullOwed && !stopping) retry = setTimeout(run, failed ? 1000 : 0);
        });
    };
    run();
    sweep = setInterval(run, config.RECONCILE_INTERVAL_S * 1000);
    returns = watchServiceReturns(workerDeps, () => {
      fullOwed = true;
      if (retry) clearTimeout(retry);
      run();
    });
  }

  const stopAll = async () => {
    stopping = true;
    if (sweep) clearInterval(sweep);
    if (retry) clearTimeout(retry);
    await returns?.stop();
    if (app) await app.close();
    // close() stops taking jobs and resolves once the jobs in flight have finished.
    await Promise.all(workers.map((w) => w.close()));
    await sweeping;
    if (metricsServer) await metricsServer.close();
    forms.stop();
    await queues.close();
    await workDb?.destroy();
    await db.destroy();
  };
  let stopped: Promise<void> | null = null;
  return {
    deps,
    url,
    app,
    metricsUrl,
    // Once only: a second call (SIGINT after SIGTERM, a test's cleanup) waits for the first.
    stop: () => (stopped ??= stopAll()),
  };
}
