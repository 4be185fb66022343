import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureReport } from '../../src/figures/measures.ts';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';
import { communesReporting } from '../../src/schema/form-definition.ts';
import { evaluateReport } from '../../src/report/evaluate.ts';
import type { Outcome } from '../../src/report/outcome.ts';
import { importUnitFile, namPo, type FileToSend } from '../support/builders.ts';
import { hasLibreOffice, libreOfficeConvert, namPoOfficeFiles } from '../support/office-layouts.ts';
import { defaultLimits } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
const forms = shippedFormCatalog();
const libreOffice = await hasLibreOffice();
beforeAll(async () => {
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

async function evaluate(file: FileToSend): Promise<Outcome> {
  const bytes = typeof file.bytes === 'string' ? Buffer.from(file.bytes) : file.bytes;
  return evaluateReport(
    { db: services.db, forms },
    { bytes, filename: file.name, given: {}, principal: { level: 'admin', code: null } },
    defaultLimits,
    '2026-11-25',
  );
}

/** The district's figures from the communes' outcomes, as the rollup sums them: every file must be valid. */
async function namPoFigures(files: readonly FileToSend[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const file of files) {
    const outcome = await evaluate(file);
    if (outcome.kind !== 'valid') throw new Error(`${file.name}: ${JSON.stringify(outcome.issues ?? outcome)}`);
    expect(outcome).toMatchObject({ period: '2023-Q2' });
    // Measures are computed at rollup from the stored rows (SPEC §6), as here.
    const measures = {
      ...measureReport(
        forms.find(outcome.form, outcome.periodEnd)!,
        outcome.rows.map((r) => r.data),
      ),
      [communesReporting]: '1',
    };
    for (const [name, value] of Object.entries(measures))
      sums[`${outcome.form} ${name}`] = (sums[`${outcome.form} ${name}`] ?? 0) + Number(value);
  }
  return sums;
}

/** SPEC §2's seed check: 121 villages, fibre 65, mobile 112, 3G 107; all 15 communes on the specialized network. */
const golden = {
  'HTS-BAN villages': 121,
  'HTS-BAN villages_fiber': 65,
  'HTS-BAN villages_mobile': 112,
  'HTS-BAN villages_3g': 107,
  'HTS-XA communes_reporting': 15,
  'HTS-XA communes_specialized_network': 15,
};

describe('office-made files (SPEC §3, sheets as offices lay them out)', () => {
  it('the 30 Nậm Pồ reports in office layouts, made with exceljs, are all accepted with the golden figures', async () => {
    const files = await namPoOfficeFiles();
    expect(files).toHaveLength(30);
    const figures = await namPoFigures(files);
    expect(figures).toMatchObject(golden);
    expect(figures['HTS-XA staff_with_computer']).toBe(figures['HTS-XA staff']);
  });

  it.skipIf(!libreOffice)(
    'the same workbooks re-saved by LibreOffice as XLSX, and exported by it as CSV, are all accepted with the golden figures',
    async () => {
      const files = await namPoOfficeFiles();
      const xlsx = await libreOfficeConvert(files, 'xlsx', 'xlsx');
      expect(await namPoFigures(xlsx)).toMatchObject(golden);
      const csv = await libreOfficeConvert(files, 'csv:Text - txt - csv (StarCalc):44,34,76', 'csv');
      expect(await namPoFigures(csv)).toMatchObject(golden);
    },
    600_000,
  );
});
