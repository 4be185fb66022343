// Plain JavaScript on purpose: this runs on the older Node that started bin/tonghop.js.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node binary (26) `npm ci` installed for this platform (optional dependency node-<os>-<arch>), or null. */
export function bundledNode() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${os}-${process.arch}`;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
    const relative = typeof bin === 'string' ? bin : bin?.node;
    return relative ? join(dirname(manifest), relative) : null;
  } catch {
    return null;
  }
}

function needNode24(reason) {
  const here = `Node ${process.versions.node} (${process.execPath})`;
  process.stderr.write(
    [
      `tonghop: cần Node.js 24 trở lên; đây là ${here}.`,
      `tonghop: needs Node.js 24 or newer; this is ${here}.`,
      reason,
      '`npm ci` in the tonghop folder brings Node 26 itself on Linux (x64, arm64), macOS (Intel) and Windows (x64).',
      'Elsewhere (macOS on Apple silicon, Alpine/musl, …) install Node 26 (24 at least): https://nodejs.org/en/download (or `nvm install 26`).',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

/**
 * Runs this same command on the bundled Node (26), as a child that stands in for this process:
 * same arguments, environment and terminal, signals passed on, its exit code (or signal) ours.
 * A child process rather than an exec: Node before 22.15 cannot replace its own image.
 */
export async function handOver() {
  const node = bundledNode();
  if (node === null) needNode24('No bundled Node is installed here (node_modules/node-<os>-<arch>).');
  // The bundled binary should be 26; if it came back here, it is older than 24: stop rather than loop.
  if (process.env.TONGHOP_HANDED_OVER === node) needNode24(`${node} is older than Node 24 as well.`);
  const script = join(dirname(fileURLToPath(import.meta.url)), 'tonghop.js');
  const child = spawn(node, [...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TONGHOP_HANDED_OVER: node },
  });
  const signals = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  const pass = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, pass);
  child.on('error', (error) => needNode24(`${node} could not be started: ${error.message}.`));
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, pass);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
