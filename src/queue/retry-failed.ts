import type { QueueName, Queues } from './queues.ts';

/**
 * Moves every failed job of the given queues back to waiting, for the workers to run again with
 * fresh attempts; returns how many each queue had. Safe: every job body may run twice (SPEC §4.6).
 */
export async function retryFailed(queues: Queues, names: readonly QueueName[]): Promise<Record<string, number>> {
  const retried: Record<string, number> = {};
  for (const name of names) {
    const queue = queues[name];
    retried[name] = await queue.getFailedCount();
    await queue.retryJobs({ state: 'failed', count: 1000 });
  }
  return retried;
}
