// A worker that runs one job's real body (its transaction commits, its follow-up is enqueued) and
// is SIGKILLed before BullMQ hears the job is done: the crash between commit and acknowledgment,
// on demand. Run: node test/support/die-after-commit.ts normalize|rollup, with tonghop's settings.
import { Worker, type Job } from 'bullmq';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { connectDb } from '../../src/db/connect.ts';
import type { Deps } from '../../src/deps.ts';
import { openFormCatalog } from '../../src/forms/form-catalog.ts';
import { workerConnection } from '../../src/queue/connections.ts';
import { createQueues, queueNames } from '../../src/queue/queues.ts';
import { createNormalizeProcessor } from '../../src/workers/normalize/processor.ts';
import { createRollupProcessor } from '../../src/workers/rollup/processor.ts';

const queue = process.argv[2] === 'rollup' ? 'rollup' : 'normalize';
const config = loadConfig();
const db = connectDb(config.DATABASE_URL);
const forms = await openFormCatalog(db, { pollMs: config.FORMS_POLL_MS });
const deps: Deps = {
  db,
  queues: createQueues(config.REDIS_URL, config.QUEUE_PREFIX),
  log: pino({ level: 'silent' }),
  config,
  forms,
  now: () => new Date(),
};
const body: (job: Job) => Promise<unknown> =
  queue === 'normalize' ? createNormalizeProcessor(deps) : createRollupProcessor(deps);
const worker = new Worker(
  queueNames[queue],
  async (job) => {
    const result = await body(job);
    process.stdout.write(`committed ${job.id} ${JSON.stringify(result)}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
  {
    connection: workerConnection(config.REDIS_URL),
    prefix: config.QUEUE_PREFIX,
    lockDuration: config.JOB_LOCK_S * 1000,
    stalledInterval: config.JOB_LOCK_S * 1000,
  },
);
await worker.waitUntilReady();
process.stdout.write('ready\n');
