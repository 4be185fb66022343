// The queue floor: what BullMQ alone costs for the same number of normalize jobs, with the
// pipeline's own queue options, job ids and worker concurrency, and a processor that does nothing.
// Jobs are added in groups of `group` (the ingest adds those of uploads that arrive together in
// one addBulk). Runs in a child process, so that its CPU is its own.
import { fork } from 'node:child_process';
import { Worker } from 'bullmq';
import { loadConfig } from '../src/config.ts';
import { workerConnection } from '../src/queue/connections.ts';
import { createQueues, enqueueNormalizeMany, queueNames } from '../src/queue/queues.ts';
import { cpuSecondsOf } from './support.ts';

export type QueueFloor = { jobs: number; seconds: number; producerCpu: number; workerCpu: number; redisCpu: number };

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measure(
  redisUrl: string,
  prefix: string,
  jobs: number,
  group: number,
): Promise<Omit<QueueFloor, 'redisCpu'>> {
  const config = loadConfig({ REDIS_URL: redisUrl });
  const queues = createQueues(redisUrl, prefix);
  const started = Date.now();
  const before = cpu();
  for (let id = 1; id <= jobs; id += group)
    await enqueueNormalizeMany(
      queues,
      Array.from({ length: Math.min(group, jobs - id + 1) }, (_, k) => id + k),
    );
  const producerCpu = cpu() - before;
  let done = 0;
  await new Promise<void>((resolve) => {
    const worker = new Worker(queueNames.normalize, async () => void (++done === jobs && resolve()), {
      connection: workerConnection(redisUrl),
      prefix,
      concurrency: config.NORMALIZE_CONCURRENCY,
    });
    worker.on('error', () => {});
  });
  const workerCpu = cpu() - before - producerCpu;
  const seconds = (Date.now() - started) / 1000;
  await queues.normalize.obliterate({ force: true });
  return { jobs, seconds, producerCpu, workerCpu };
}

export async function runQueueFloor(redisUrl: string, prefix: string, jobs: number, group = 8): Promise<QueueFloor> {
  const child = fork(new URL(import.meta.url).pathname, ['measure', redisUrl, prefix, String(jobs), String(group)], {
    stdio: 'inherit',
  });
  const redisBefore = cpuSecondsOf('redis-server');
  const result = await new Promise<Omit<QueueFloor, 'redisCpu'>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Omit<QueueFloor, 'redisCpu'>));
    child.once('exit', (code) => reject(new Error(`queue floor exited with ${code}`)));
  });
  child.kill();
  return { ...result, redisCpu: cpuSecondsOf('redis-server') - redisBefore };
}

if (process.argv[2] === 'measure') {
  const [redisUrl, prefix, jobs, group] = process.argv.slice(3);
  process.send!(await measure(redisUrl!, prefix!, Number(jobs), Number(group)));
}
