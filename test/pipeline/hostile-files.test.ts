import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { getJson, importUnitFile, namPo, tokenFor, upload, waitFor } from '../support/builders.ts';
import {
  everyCellWrongCsv,
  hugeCellXlsx,
  manySharedStringsXlsx,
  sheetListedManyTimes,
} from '../support/hostile-files.ts';
import { spawnTonghop, type TonghopProcess } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

// Files from the security review (issue 14), each through POST /v1/validate (inside the ingest)
// and through a real worker process started as an operator starts it, with the shipped heap flags.
const services = useServices();
let ingest: Running;
let admin: string;
let worker: TonghopProcess;

beforeAll(async () => {
  ingest = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  admin = await tokenFor(services.db, 'admin');
  worker = spawnTonghop(['start', '--role', 'worker'], services.env);
});

afterAll(async () => {
  worker.child.kill('SIGTERM');
  await worker.exited;
});

async function validate(name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const r = await fetch(new URL('/v1/validate', ingest.url!), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${admin}` },
  });
  return { status: r.status, body: (await r.json()) as any };
}

/** Submits a file and waits for the worker's decision. */
async function decided(name: string, bytes: Buffer, timeoutMs = 90_000) {
  const r = await upload(ingest.url!, admin, [{ name, bytes }]);
  expect(r.status).toBe(202);
  const id = r.body.submissions[0].id as number;
  return waitFor(
    async () => {
      const s = await getJson(ingest.url!, admin, `/v1/submissions/${id}`);
      return ['queued', 'processing'].includes(s.body.status) ? null : s.body;
    },
    `submission ${id}`,
    timeoutMs,
  );
}

function expectCapped(issues: any[], total: number) {
  expect(issues).toHaveLength(1001);
  const last = issues.at(-1);
  expect(last).toMatchObject({ code: 'ISSUES_TRUNCATED', row: null });
  expect(last.message.vi).toContain(`${total - 1000} lỗi nữa`);
  expect(last.message.en).toContain(`${total - 1000} more errors`);
  expect(Object.values(last.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
  expect(last.counts).toEqual({ VALUE_NOT_INTEGER: (total / 7) * 4, VALUE_NOT_YES_NO: (total / 7) * 3 });
}

describe('a file whose every cell is wrong', () => {
  it('is checked by POST /v1/validate with the first 1,000 issues, a count per code and a "more errors exist" issue', async () => {
    const r = await validate('sai.csv', everyCellWrongCsv(3000));
    expect(r.status).toBe(200);
    expect(r.body.results[0].valid).toBe(false);
    expectCapped(r.body.results[0].issues, 21_000);
  });

  it('of 200,000 rows is rejected by a worker process, which lives on, and nothing is left processing', async () => {
    const outcome = await decided('sai-het.csv', everyCellWrongCsv(200_000));
    expect(outcome.status).toBe('rejected');
    expectCapped(outcome.errors, 1_400_000);
    expect(worker.child.exitCode).toBeNull();
  }, 120_000);
});

describe('an XLSX cell of 60 MB in a file of about 60 KB', () => {
  for (const as of ['value', 'formula', 'inline', 'shared'] as const) {
    it(`as ${as === 'shared' ? 'a shared string' : as === 'inline' ? 'an inline string' : `a ${as}`} is LIMIT_EXCEEDED, not read past the limit`, async () => {
      const bytes = hugeCellXlsx(60 * 1024 * 1024, as);
      expect(bytes.length).toBeLessThan(100 * 1024);
      const r = await validate('o-lon.xlsx', bytes);
      expect(r.body.results[0].issues).toEqual([
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          message: expect.objectContaining({ en: expect.stringContaining('characters in a cell') }),
        }),
      ]);
    });
  }

  it('90 MB of shared strings, each under the cell cap, stop at 16 M characters in all', async () => {
    const r = await validate('chuoi.xlsx', manySharedStringsXlsx(90 * 1024 * 1024));
    expect(r.body.results[0].issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: expect.objectContaining({ en: expect.stringContaining('characters of all shared strings') }),
      }),
    ]);
  });

  it('is rejected by a worker process, which lives on', async () => {
    const outcome = await decided('o-lon.xlsx', hugeCellXlsx(60 * 1024 * 1024, 'value'));
    expect(outcome).toMatchObject({
      status: 'rejected',
      errors: [expect.objectContaining({ code: 'LIMIT_EXCEEDED', row: 2, column: 'B' })],
    });
    expect(worker.child.exitCode).toBeNull();
  }, 120_000);
});

describe("a workbook's sheets", () => {
  it('are counted as workbook.xml lists them: 2,000 <sheet> elements on one part are LIMIT_EXCEEDED', async () => {
    const r = await validate('nhieu-trang.xlsx', sheetListedManyTimes(2000));
    expect(r.body.results[0].issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        message: expect.objectContaining({ en: expect.stringContaining('sheets limit: 11 (at most 10)') }),
      }),
    ]);
  });

  it('may list one part twice within the limit, and it is read once', async () => {
    const r = await validate('hai-trang.xlsx', sheetListedManyTimes(3));
    expect(r.body.results[0].issues.map((i: any) => i.code)).not.toContain('LIMIT_EXCEEDED');
  });
});
