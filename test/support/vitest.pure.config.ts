import { defineConfig } from 'vitest/config';

/** Pure stages only (no Postgres, no Redis): `npx vitest run --config test/support/vitest.pure.config.ts test/schema`. */
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
