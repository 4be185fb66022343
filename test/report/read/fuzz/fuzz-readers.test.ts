import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../../src/report/read/read-rows.ts';
import { issueMessages } from '../../../../src/schema/issue.ts';
import { namPo } from '../../../support/builders.ts';
import { hugeCellXlsx, sheetListedManyTimes, workbookOf } from '../../../support/hostile-files.ts';
import { banHeaders, banRows, defaultLimits, xlsxOf } from '../../../support/report-files.ts';
import { mutateBytes, mutateXlsx, prng } from './mutations.ts';

// Every reader, fed random and mutated files for a bounded time (FUZZ_BUDGET_MS, 20 s by default,
// split between the properties and the mutation corpus). Each input must end as a table whose rows
// read out, or as issues with named codes; never a throw, never more than the heap allows, never
// longer than a set time per MB. A failure prints the seed that makes the input again.
const budgetMs = Number(process.env.FUZZ_BUDGET_MS ?? 20_000);
const heapLimit = 512 * 1024 * 1024;
/** Generous, for a machine shared with other work: the readers take well under a tenth of this. */
const msPerMb = 4000;
const msBase = 1500;
const known = new Set(Object.keys(issueMessages));
const tally = { tried: 0, crashes: 0, slowestMs: 0, slowestMsPerMb: 0, largest: 0, codes: new Map<string, number>() };

/** What a reader made of one input: null when it ended well, else what went wrong. */
async function judge(bytes: Buffer, filename: string): Promise<string | null> {
  tally.tried += 1;
  const started = performance.now();
  try {
    const read = await readTable(bytes, { filename, limits: defaultLimits });
    if ('issues' in read) {
      if (read.issues.length === 0) return 'no table and no issue';
      for (const found of read.issues) {
        if (!known.has(found.code)) return `unnamed code ${found.code}`;
        tally.codes.set(found.code, (tally.codes.get(found.code) ?? 0) + 1);
      }
    } else {
      let rows = 0;
      for await (const batch of read.table.rows()) rows += batch.length;
      if (rows !== read.table.rowCount) return `counted ${read.table.rowCount} rows, gave ${rows}`;
      tally.codes.set('(table)', (tally.codes.get('(table)') ?? 0) + 1);
    }
  } catch (error) {
    tally.crashes += 1;
    return `threw ${error instanceof Error ? error.stack : String(error)}`;
  }
  const ms = performance.now() - started;
  const mb = bytes.length / (1024 * 1024);
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  tally.largest = Math.max(tally.largest, bytes.length);
  // Per MB only where a file is large enough for it to mean something.
  if (bytes.length >= 100 * 1024) tally.slowestMsPerMb = Math.max(tally.slowestMsPerMb, ms / mb);
  if (ms > msBase + msPerMb * mb) return `took ${Math.round(ms)} ms for ${bytes.length} bytes`;
  if (process.memoryUsage().heapUsed > heapLimit)
    return `heap at ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`;
  return null;
}

async function seeds(): Promise<{ name: string; bytes: Buffer }[]> {
  const names = (await readdir(namPo)).filter((n) => /\.(csv|json)$/u.test(n)).slice(0, 6);
  const files = await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(namPo, name)) })));
  const xlsx = await xlsxOf((workbook) => {
    const sheet = workbook.addWorksheet('Số liệu');
    sheet.addRow(['Mã xã:', '03166']);
    sheet.addRow(['Kỳ báo cáo:', 'Quý II/2023']);
    sheet.addRow([...banHeaders]);
    for (const row of banRows) sheet.addRow([...row]);
    sheet.addRow(['Tổng cộng', { formula: 'SUM(B4:B5)' }]);
    workbook.addWorksheet('Danh mục', { state: 'hidden' }).addRow(['Có', 'Không']);
  });
  return [
    ...files,
    { name: 'bao-cao.xlsx', bytes: xlsx },
    { name: 'o-lon.xlsx', bytes: hugeCellXlsx(40_000, 'shared') },
    { name: 'nhieu-trang.xlsx', bytes: sheetListedManyTimes(3) },
  ];
}

describe('the readers under fuzzing', () => {
  it(
    'end every random file as a table or named issues, within memory and time',
    async () => {
      const failures: string[] = [];
      const check = async (bytes: Buffer, name: string) => {
        const problem = await judge(bytes, name);
        if (problem) failures.push(`${name}: ${problem}`);
        return problem === null;
      };
      const cell = fc.oneof(
        fc.string(),
        fc.constantFrom('Có', 'Không', 'x', '1.234', '9'.repeat(30), '"', ';', '', '=SUM(A1)'),
        fc.integer().map(String),
      );
      const csvText = fc
        .tuple(
          fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 40 }),
          fc.constantFrom(',', ';', '\t'),
          fc.constantFrom('\n', '\r\n', '\r'),
        )
        .map(([rows, sep, end]) => [banHeaders.join(sep), ...rows.map((r) => r.join(sep))].join(end));
      const each = (budgetMs * 0.4) / 5;
      const options = { numRuns: 100_000, interruptAfterTimeLimit: each, seed: 14 };
      const runs = [
        () =>
          fc.assert(
            fc.asyncProperty(
              fc.uint8Array({ maxLength: 4096 }),
              fc.constantFrom('a.csv', 'a.json', 'a.xlsx', 'a'),
              (bytes, name) => check(Buffer.from(bytes), name),
            ),
            options,
          ),
        () =>
          fc.assert(
            fc.asyncProperty(csvText, (text) => check(Buffer.from(text), 'a.csv')),
            options,
          ),
        () =>
          fc.assert(
            fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), (value) =>
              check(Buffer.from(JSON.stringify(value) ?? 'null'), 'a.json'),
            ),
            options,
          ),
        () =>
          fc.assert(
            fc.asyncProperty(
              fc.array(
                fc.record({
                  'Tên thôn/bản': cell,
                  'Số hộ': fc.oneof(cell, fc.double()),
                  'Có sóng di động': fc.oneof(cell, fc.boolean()),
                }),
                { maxLength: 30 },
              ),
              (rows) =>
                check(
                  Buffer.from(JSON.stringify({ form: 'HTS-BAN', commune: '03166', period: '2023-Q2', rows })),
                  'a.json',
                ),
            ),
            options,
          ),
        () =>
          fc.assert(
            fc.asyncProperty(
              fc.array(
                fc.tuple(
                  fc.constantFrom('v', 'f', 't', 'is', 'si'),
                  cell,
                  fc.constantFrom('s', 'str', 'b', 'e', 'n', 'inlineStr', 'd'),
                ),
                { maxLength: 30 },
              ),
              (cells) =>
                check(
                  workbookOf(
                    `<row r="1">${cells
                      .map(
                        ([tag, text, type], i) =>
                          `<c r="${String.fromCharCode(65 + (i % 26))}1" ` +
                          `t="${type}"><${tag}>${text.replace(/[<&]/gu, '')}</${tag}></c>`,
                      )
                      .join('')}</row>`,
                  ),
                  'a.xlsx',
                ),
            ),
            options,
          ),
      ];
      for (const run of runs) await run();
      expect(failures).toEqual([]);
    },
    budgetMs * 2 + 30_000,
  );

  it(
    'end every mutation of a valid file (cut, flipped, duplicated zip entries, huge numbers) as a table or named issues, within memory and time',
    async () => {
      const corpus = await seeds();
      const deadline = performance.now() + budgetMs * 0.6;
      const failures: string[] = [];
      for (let seed = 1; performance.now() < deadline; seed += 1) {
        const random = prng(seed);
        const original = corpus[seed % corpus.length]!;
        let bytes = original.bytes;
        // One to three changes on top of each other.
        for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
          const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
          try {
            bytes = zip && random() < 0.7 ? mutateXlsx(bytes, random) : mutateBytes(bytes, random);
          } catch {
            // A package already too damaged to unzip for a structural change: change its bytes instead.
            bytes = mutateBytes(bytes, random);
          }
        }
        const problem = await judge(bytes, original.name);
        if (problem) failures.push(`seed ${seed} (${original.name}): ${problem}`);
      }
      console.log(
        `fuzz: ${tally.tried} inputs tried, ${tally.crashes} crashes; slowest input ${Math.round(tally.slowestMs)} ` +
          `ms, slowest ${Math.round(tally.slowestMsPerMb)} ms/MB over inputs of 100 KB or more, largest ${Math.round(tally.largest / 1024)} KB; outcomes ${[
            ...tally.codes,
          ]
            .sort((a, b) => b[1] - a[1])
            .map(([c, n]) => `${c} ${n}`)
            .join(', ')}`,
      );
      expect(failures).toEqual([]);
      expect(tally.crashes).toBe(0);
    },
    budgetMs * 2 + 30_000,
  );
});
