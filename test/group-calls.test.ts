import { describe, expect, it } from 'vitest';
import { groupCalls, groupSettledCalls } from '../src/group-calls.ts';

describe('group commit of calls', () => {
  it('runs a call alone when idle, and groups the calls that arrive during a run, up to the maximum', async () => {
    const runs: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const double = groupCalls(async (inputs: number[]) => {
      runs.push(inputs);
      if (runs.length === 1) await gate;
      return inputs.map((i) => i * 2);
    }, 3);
    const first = double(1);
    const rest = [2, 3, 4, 5, 6].map(double);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8, 10, 12]);
    expect(runs).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('fails every call of a run that throws, and settles each call of a settled run on its own', async () => {
    const failing = groupCalls(async (_: number[]): Promise<number[]> => Promise.reject(new Error('down')), 10);
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow('down');
    const settled = groupSettledCalls(async (inputs: number[]) =>
      inputs.map((i): PromiseSettledResult<number> => (i % 2 ? { status: 'fulfilled', value: i } : { status: 'rejected', reason: new Error(`even ${i}`) })),
    10);
    const results = await Promise.allSettled([settled(1), settled(2), settled(3)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'even 2', 3]);
  });
});
