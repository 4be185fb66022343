import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file has its own database and Redis prefix, so files run in parallel; the pool is
    // forks because workers and servers started by a test own sockets and timers.
    pool: 'forks',
    // Vitest's default (one fewer than the cores) ran the files one at a time on a 2-core machine:
    // most wait on Postgres, Redis, child processes and Chromium, so two at a time finish sooner
    // (the whole suite 889–1,066 s → 700 s on this 2-core machine, every test passing). The
    // Lighthouse audits (test/web/audits.test.ts) measure time, which another file running beside
    // them takes away (mobile pages' blocking time 330–360 ms, scores 90–92): `npm test` runs them
    // alone, after the rest.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
