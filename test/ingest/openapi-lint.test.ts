import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../support/services.ts';

const docs = fileURLToPath(new URL('../../src/ingest/docs/', import.meta.url));
const services = useServices();
/** The document as the service serves it: made from the routes' own schemas. */
let openapi: { paths: Record<string, object> };

beforeAll(async () => {
  const running = await services.start('ingest');
  openapi = (await running.app!.inject({ method: 'GET', url: '/docs' })).json();
});
const redocly = fileURLToPath(new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));

describe('GET /docs', () => {
  it('passes a standard OpenAPI linter (Redocly CLI, recommended rules): no error, no warning but those its config justifies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonghop-openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(openapi, null, 1));
      for (const f of ['redocly.yaml', '.redocly.lint-ignore.yaml']) copyFileSync(join(docs, f), join(dir, f));
      const lint = spawnSync(process.execPath, [redocly, 'lint', 'openapi.json', '--format', 'summary'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      });
      const output = `${lint.stdout}${lint.stderr}`;
      expect(output).toMatch(/Your API description is valid/u);
      expect(output).not.toMatch(/\b(error|warning)\s+[a-z0-9-]+: \d+/u);
      expect(lint.status, output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every operation and says what it does', () => {
    const operations = Object.values(openapi.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string; summary?: string }>),
    );
    expect(operations.length).toBeGreaterThanOrEqual(19);
    for (const op of operations) expect(op.operationId && op.summary, JSON.stringify(op).slice(0, 80)).toBeTruthy();
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
  });
});
