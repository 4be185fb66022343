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
  const serves = role === 'all' || role === 'ingest';
  const db = connectDb(config.DATABASE_URL, { max: serves ? 10 : 2 });
  await migrateToLatest(db);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  const deps: Deps = { db, queues, log, config, now: options.now ?? (() => new Date()) };
  // Workers write only what they can write again (db/connect.ts), so their commits need not wait for the disk.
  const workDb = role === 'ingest' ? null : connectDb(config.DATABASE_URL, { relaxedCommit: true, max: config.NORMALIZE_CONCURRENCY + 4 });
  const workerDeps: Deps = workDb ? { ...deps, db: workDb } : deps;

  const workers: Worker[] = [];
  const connection = workerConnection(config.REDIS_URL);
  // Stored on every job as processedBy, so an operator sees which process on which host ran it.
  const name = `${hostname()}:${process.pid}`;
  if (role === 'all' || role === 'worker') {
    workers.push(
      new Worker(queueNames.normalize, createNormalizeProcessor(workerDeps), { name, connection, prefix: config.QUEUE_PREFIX, concurrency: config.NORMALIZE_CONCURRENCY }),
    );
  }
  if (role === 'all' || role === 'rollup') {
    workers.push(new Worker(queueNames.rollup, createRollupProcessor(workerDeps), { name, connection, prefix: config.QUEUE_PREFIX, concurrency: 2 }));
  }
  for (const w of workers) {
    w.on('failed', (job, err) => log.warn({ queue: w.name, jobId: job?.id, data: job?.data, err }, 'job failed'));
    w.on('error', (err) => log.error({ queue: w.name, err }, 'worker error'));
  }

  let sweep: NodeJS.Timeout | null = null;
  if (role === 'all' || role === 'worker') {
    const run = () => reconcile(workerDeps).catch((err: unknown) => log.warn({ err }, 'reconciler sweep failed'));
    void run();
    sweep = setInterval(run, config.RECONCILE_INTERVAL_S * 1000);
  }

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (role === 'all' || role === 'ingest') {
    app = await buildApp(deps);
    url = await app.listen({ port: config.PORT, host: config.HOST });
  }

  return {
    deps,
    url,
    app,
    stop: async () => {
      if (sweep) clearInterval(sweep);
      if (app) await app.close();
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      await workDb?.destroy();
      await db.destroy();
    },
  };
}
