import { setTimeout as sleep } from 'node:timers/promises';
import type { Queues } from '../queue/queues.ts';
import { formatTable } from './table.ts';

const states = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** The queue health table of `tonghop queues`. */
export async function queueHealth(queues: Queues): Promise<string> {
  const rows = [];
  for (const queue of [queues.normalize, queues.rollup]) {
    const counts = await queue.getJobCounts(...states);
    const workers = await queue.getWorkersCount();
    rows.push([queue.name, ...states.map((s) => counts[s] ?? 0), workers]);
  }
  return formatTable(['queue', ...states, 'workers'], rows);
}

/** `tonghop queues --watch`: the table redrawn every `seconds` until `signal` aborts (Ctrl-C). */
export async function watchQueueHealth(
  queues: Queues,
  seconds: number,
  out: NodeJS.WritableStream,
  signal: AbortSignal,
  now = () => new Date(),
): Promise<void> {
  while (!signal.aborted) {
    const table = await queueHealth(queues);
    // Clear the screen and home the cursor, as watch(1) does.
    out.write(`\x1b[2J\x1b[H${now().toISOString()}  every ${seconds}s, Ctrl-C to stop\n\n${table}\n`);
    await sleep(seconds * 1000, undefined, { signal }).catch(() => undefined);
  }
}
