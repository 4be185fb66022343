#!/usr/bin/env node
// Node ≥ 24 runs the TypeScript sources directly (type stripping): there is no build step.

// A long-running process keeps V8's young generation small: with Node's default (16 MB semi-spaces)
// a busy ingest or worker peaked at 300–350 MB RSS, with 2 MB at about 200 MB for the same
// throughput (bench/national-quarter.ts). The flag only works at startup, so the process replaces
// itself (same pid, signals and stdio) with one started with it, unless it was given one already.
const flag = '--max-semi-space-size';
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/u)].some((a) => a.startsWith(flag));
if (process.argv[2] === 'start' && !given && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, `${flag}=2`, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
await import('../src/main.ts');
