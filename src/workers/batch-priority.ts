import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from 'pino';

/**
 * Lowers a batch process (worker, rollup) to `nice` so that, on a machine it shares with the
 * ingest service, reads and uploads are served first and the queue holds the batch's work
 * meanwhile. Linux keeps a priority per thread: every thread already running is lowered (V8's
 * helpers start before this code), and threads started later inherit it from the main thread.
 */
export function lowerBatchPriority(nice: number, log: Logger): void {
  if (nice <= 0 || nice <= getPriority()) return;
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    threads = [0]; // not Linux: the process as the platform defines it
  }
  for (const thread of threads) {
    try {
      setPriority(thread, nice);
    } catch (err) {
      // A thread that ended since it was listed needs nothing; the others are still lowered.
      if ((err as { info?: { code?: string } }).info?.code === 'ESRCH') continue;
      log.warn(
        { err, nice },
        'could not lower the batch process priority (BATCH_NICE); running at the priority it was started with',
      );
      return;
    }
  }
}
