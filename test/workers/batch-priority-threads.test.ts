import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const calls: number[] = [];
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  return {
    ...os,
    getPriority: () => 0,
    // The first thread listed has ended by the time it is lowered, as a helper thread may: Node's own error for it
    // (a thread id past Linux's largest), the others recorded, not lowered.
    setPriority: (thread: number, nice: number) => {
      calls.push(thread);
      if (calls.length === 1) os.setPriority(2 ** 22 + 1, nice);
    },
  };
});

describe('lowerBatchPriority', () => {
  it('a thread that ended meanwhile is passed over: every other thread is still lowered, and nothing to warn of', async () => {
    const { lowerBatchPriority } = await import('../../src/workers/batch-priority.ts');
    const warn = vi.fn();
    const threads = readdirSync('/proc/self/task').map(Number);
    lowerBatchPriority(10, { warn } as never);
    expect(calls.length).toBeGreaterThanOrEqual(threads.length);
    expect(warn).not.toHaveBeenCalled();
  });
});
