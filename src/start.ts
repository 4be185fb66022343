import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { connectDb, ensureDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './ingest/app.ts';
import { createLogger } from './log.ts';
import { checkRedis } from './queue/check-redis.ts';
import { workerConnection } from './queue/connections.ts';
import { createQueues, queueNames } from './queue/queues.ts';
import { createNormalizeProcessor } from './workers/normalize/processor.ts';
import { reconcile } from './workers/reconciler.ts';
import { createRollupProcessor } from './workers/rollup/processor.ts';

export const roles = ['all', 'ingest', 'worker', 'rollup'] as const;
export type Role = (typeof roles)[number];

export type Running = {
  readonly deps: Deps;
  /** The ingest service's address, when this process serves HTTP. */
  readonly url: string | null;
  readonly app: FastifyInstance | null;
  /** Stops taking work, finishes what is in flight, then closes HTTP, workers, queues and the pool, in that order. */
  stop(): Promise<void>;
};

/**
 * The composition root: one process of the given role. `ingest` serves HTTP; `worker` runs the
 * normalize worker and the reconciler; `rollup` runs the rollup worker; `all` runs everything.
 */
export async function start(config: Config, role: Role, options: { log?: Logger; now?: () => Date } = {}): Promise<Running> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  await checkRedis(config.REDIS_URL);
  const db = connectDb(config.DATABASE_URL);
  await migrateToLatest(db);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const deps: Deps = { db, queues, log, config, now: options.now ?? (() => new Date()) };

  const workers: Worker[] = [];
  const connection = workerConnection(config.REDIS_URL);
  // Stored on every job as processedBy, so an operator sees which process on which host ran it.
  const name = `${hostname()}:${process.pid}`;
  const locks = { lockDuration: config.JOB_LOCK_S * 1000, stalledInterval: config.JOB_LOCK_S * 1000 };
  if (role === 'all' || role === 'worker') {
    workers.push(
      new Worker(queueNames.normalize, createNormalizeProcessor(deps), { name, connection, prefix: config.QUEUE_PREFIX, concurrency: config.NORMALIZE_CONCURRENCY, ...locks }),
    );
  }
  if (role === 'all' || role === 'rollup') {
    workers.push(new Worker(queueNames.rollup, createRollupProcessor(deps), { name, connection, prefix: config.QUEUE_PREFIX, concurrency: 2, ...locks }));
  }
  for (const w of workers) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, data: job?.data, err }, 'job failed'));
    w.on('error', (err) => log.error({ queue: w.name, err }, 'worker error'));
  }

  let sweep: NodeJS.Timeout | null = null;
  if (role === 'all' || role === 'worker') {
    // One sweep at a time per process: after a flush a sweep can outlast the interval.
    let sweeping: Promise<unknown> | null = null;
    const run = () => (sweeping ??= reconcile(deps).catch((err: unknown) => log.warn({ err }, 'reconciler sweep failed')).finally(() => (sweeping = null)));
    void run();
    sweep = setInterval(run, config.RECONCILE_INTERVAL_S * 1000);
  }

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (role === 'all' || role === 'ingest') {
    app = await buildApp(deps);
    url = await app.listen({ port: config.PORT, host: config.HOST });
  }

  let stopped: Promise<void> | null = null;
  return {
    deps,
    url,
    app,
    // Once only: a second call (SIGINT after SIGTERM, a test's cleanup) waits for the first.
    stop: () =>
      (stopped ??= (async () => {
        if (sweep) clearInterval(sweep);
        if (app) await app.close();
        await Promise.all(workers.map((w) => w.close()));
        await queues.close();
        await db.destroy();
      })()),
  };
}
