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
