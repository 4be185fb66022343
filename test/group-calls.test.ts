import { describe, expect, it } from 'vitest';
import { groupCalls, groupSettledCalls, oneAtATime } from '../src/group-calls.ts';

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
    const settled = groupSettledCalls(
      async (inputs: number[]) =>
        inputs.map(
          (i): PromiseSettledResult<number> =>
            i % 2 ? { status: 'fulfilled', value: i } : { status: 'rejected', reason: new Error(`even ${i}`) },
        ),
      10,
    );
    const results = await Promise.allSettled([settled(1), settled(2), settled(3)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      'even 2',
      3,
    ]);
  });

  it('one at a time: tasks never overlap, run in order given, a task marked next before those waiting, and a failure stops nothing', async () => {
    const exclusive = oneAtATime();
    const order: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        await new Promise((r) => setTimeout(r, 5));
        order.push(name);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const first = exclusive(task('a1'));
    const waiting = [exclusive(task('b')), exclusive(task('c', true))];
    const next = exclusive(task('a2'), { next: true });
    await expect(first).resolves.toBe('a1');
    await expect(next).resolves.toBe('a2');
    await expect(waiting[0]).resolves.toBe('b');
    await expect(waiting[1]).rejects.toThrow('c');
    await expect(exclusive(task('d'))).resolves.toBe('d');
    expect(order).toEqual(['a1', 'a2', 'b', 'c', 'd']);
  });
});
