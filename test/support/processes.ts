import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../bin/tonghop.js', import.meta.url));

export type TonghopProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** A real `tonghop` process (its own Node, its own connections), as an operator would start it. */
export function spawnTonghop(args: readonly string[], env: Record<string, string>): TonghopProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
