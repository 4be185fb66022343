import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const children: TonghopProcess[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
});

/** The nice value of each of a process's threads (field 19 of /proc/PID/task/TID/stat). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

async function nicesOnceStarted(child: TonghopProcess, logLine: RegExp): Promise<number[]> {
  for (let i = 0; i < 600 && !logLine.test(child.output()); i += 1) await new Promise((r) => setTimeout(r, 100));
  expect(child.output()).toMatch(logLine);
  return threadNices(child.child.pid!);
}

describe('BATCH_NICE', () => {
  it('a worker and a rollup process lower every thread to it; an ingest process keeps its priority', async () => {
    const env = { ...services.env, LOG_LEVEL: 'info', BATCH_NICE: '7' };
    const worker = spawnTonghop(['start', '--role', 'worker'], env);
    const rollup = spawnTonghop(['start', '--role', 'rollup'], env);
    const ingest = spawnTonghop(['start', '--role', 'ingest'], env);
    children.push(worker, rollup, ingest);
    const started = /tonghop started/u;
    for (const batch of [worker, rollup]) {
      const nices = await nicesOnceStarted(batch, started);
      expect(nices.length).toBeGreaterThan(1);
      expect(new Set(nices)).toEqual(new Set([7]));
    }
    expect(new Set(await nicesOnceStarted(ingest, started))).toEqual(new Set([0]));
  });
});
