#!/usr/bin/env node
// Node ≥ 24 runs the TypeScript sources directly (type stripping): there is no build step.
// This file is plain JavaScript that any Node parses, so that an older Node (a distribution's 20 or
// 18) can hand over to the Node 26 `npm ci` brings or say what is missing.

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const { handOver } = await import('./hand-over.js');
  await handOver();
} else {
  // A long-running process keeps V8's heap small. With Node's defaults (16 MB semi-spaces, an old
  // space allowed to grow to gigabytes before V8 bothers to collect) a busy ingest, worker or rollup
  // peaked at 300–350 MB RSS although it holds well under 100 MB; with an 8 MB young generation and
  // a 192 MB old space they stay under 200 MB at the same throughput (bench/national-quarter.ts),
  // and the largest files the limits allow and a 100,000-row export still fit (bench/large-file.ts).
  // A 2 MB young generation saves 10 MB more and costs about a tenth more CPU in garbage collection.
  // `all` runs every role in one process, so it gets twice the room. The flags only work at
  // startup, so the process replaces itself (same pid, signals and stdio) with one started with
  // them; a flag given already, on the command line or in NODE_OPTIONS, is left as given.
  if (process.argv[2] === 'start' && typeof process.execve === 'function') {
    const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/u)];
    const roleAt = process.argv.indexOf('--role');
    const role =
      roleAt > 0
        ? process.argv[roleAt + 1]
        : (process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) ?? 'all');
    const wanted = [`--max-semi-space-size=8`, `--max-old-space-size=${role === 'all' ? 384 : 192}`].filter(
      (flag) => !given.some((g) => g.startsWith(flag.split('=')[0])),
    );
    if (wanted.length > 0)
      process.execve(
        process.execPath,
        [process.execPath, ...wanted, ...process.execArgv, ...process.argv.slice(1)],
        process.env,
      );
  }
  const { run } = await import('../src/main.ts');
  await run(process.argv);
}
