import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';

export type Member = {
  /** `worker-1`, `worker-2`, `rollup`. */
  readonly label: string;
  readonly role: 'worker' | 'rollup';
  process: TonghopProcess;
  /** The name BullMQ stores on the jobs this process takes (`processedBy`): WORKER_NAME, one per process started. */
  jobName(): string;
};

export type PipelineProcesses = {
  readonly members: readonly Member[];
  /** SIGKILL, then start the same role again at once; `ready` resolves with the ms the new process took to start. */
  killAndRestart(member: Member): Promise<{ killedPid: number; ready: Promise<number> }>;
  stop(): Promise<void>;
};

/** Started when the process says so (`tonghop started`, logged once its workers and reconciler run). */
async function waitForStart(member: Member, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!member.process.output().includes('tonghop started')) {
    if (member.process.child.exitCode !== null)
      throw new Error(`${member.label} exited while starting:\n${member.process.output().slice(-2000)}`);
    if (Date.now() > deadline)
      throw new Error(`${member.label} did not start in ${timeoutMs} ms:\n${member.process.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The pipeline's worker and rollup processes as real `tonghop start --role …` children, each
 * process's output appended to a log file in `logDir` (a killed process's last words included).
 */
export async function startPipelineProcesses(options: {
  env: Record<string, string>;
  workers: number;
  logDir: string;
}): Promise<PipelineProcesses> {
  const logs = new Map<string, WriteStream>();
  const names = new Map<TonghopProcess, string>();
  let started = 0;
  const spawnRole = (label: string, role: Member['role']): TonghopProcess => {
    started += 1;
    const name = `chaos-${label}-${started}`;
    // At info level, so the log says when it has started and what it decided; metrics on any free port.
    const p = spawnTonghop(['start', '--role', role], {
      ...options.env,
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      WORKER_NAME: name,
    });
    names.set(p, name);
    let log = logs.get(label);
    if (!log) {
      log = createWriteStream(join(options.logDir, `${label}.log`), { flags: 'a' });
      logs.set(label, log);
    }
    // Should this process die unexpectedly, its children must not outlive it.
    const orphaned = () => p.child.kill('SIGKILL');
    process.on('exit', orphaned);
    void p.exited.then(() => process.off('exit', orphaned));
    const out = log;
    out.write(`--- pid ${p.child.pid} started ${new Date().toISOString()}\n`);
    p.child.stdout!.on('data', (d: Buffer) => out.write(d));
    p.child.stderr!.on('data', (d: Buffer) => out.write(d));
    return p;
  };
  const member = (label: string, role: Member['role']): Member => {
    const m: Member = { label, role, process: spawnRole(label, role), jobName: () => names.get(m.process)! };
    return m;
  };
  const members = [
    ...Array.from({ length: options.workers }, (_, i) => member(`worker-${i + 1}`, 'worker' as const)),
    member('rollup', 'rollup'),
  ];
  await Promise.all(members.map((m) => waitForStart(m)));

  return {
    members,
    killAndRestart: async (m) => {
      const killedPid = m.process.child.pid!;
      m.process.child.kill('SIGKILL');
      await m.process.exited;
      const started = performance.now();
      m.process = spawnRole(m.label, m.role);
      return { killedPid, ready: waitForStart(m).then(() => performance.now() - started) };
    },
    stop: async () => {
      for (const m of members) m.process.child.kill('SIGTERM');
      const stopped = Promise.all(members.map((m) => m.process.exited));
      const late = setTimeout(() => members.forEach((m) => m.process.child.kill('SIGKILL')), 15_000);
      await stopped;
      clearTimeout(late);
      for (const log of logs.values()) log.end();
    },
  };
}
