import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './builders.ts';

const bin = fileURLToPath(new URL('../../bin/tonghop.js', import.meta.url));

export type TonghopProcess = {
  readonly child: ChildProcess;
  /** Every line the process wrote to stdout so far (pino's JSON lines, for a `start`). */
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The JSON log records among the lines. */
  records(): Record<string, any>[];
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, any>>;
};

/** Runs `node bin/tonghop.js …args` as a separate process, as an operator or a container does. */
export function spawnTonghop(args: readonly string[], env: Record<string, string>): TonghopProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stdout!.on('end', () => {
    if (partial !== '') lines.push(partial);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void stderr.push(chunk));
  // 'close' rather than 'exit': by then stdout has been read to its end.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const records = () =>
    lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return [];
      }
    });
  return {
    child,
    lines,
    stderr,
    exited,
    records,
    waitForLog: (msg, timeoutMs = 30_000) =>
      waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(
              `tonghop ${args.join(' ')} exited ${child.exitCode}: ${stderr.join('')}${lines.join('\n')}`,
            );
          return records().find((r) => r.msg === msg);
        },
        `"${msg}" from tonghop ${args.join(' ')}`,
        timeoutMs,
      ),
  };
}

/** Runs a CLI command to its end; its exit code and output. */
export async function runTonghop(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnTonghop(args, env);
  const code = await p.exited;
  return { code, stdout: p.lines.join('\n'), stderr: p.stderr.join('') };
}
