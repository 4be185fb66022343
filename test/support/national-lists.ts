import { readFile } from 'node:fs/promises';
import type { Db } from '../../src/db/connect.ts';
import { importCrosswalk } from '../../src/units/import.ts';
import { importUnitFile } from './builders.ts';

/**
 * The real national lists, read where they are kept beside the repository (`../shared/data`,
 * SOURCES.md there); they are reference data and are never copied into the repository.
 */
export const nationalData = new URL('../../../shared/data/', import.meta.url);
export const list2024 = new URL('vn-admin-units-2024.csv', nationalData).pathname;
export const list2025 = new URL('vn-admin-units-2025.csv', nationalData).pathname;
export const crosswalk2025 = new URL('vn-commune-crosswalk-2025.csv', nationalData).pathname;

/** The reform in the units table: the 2024 list until 30 June 2025, the 2025 list from 1 July 2025, and the crosswalk. */
export async function importNationalLists(db: Db): Promise<void> {
  await importUnitFile(db, list2024, { validTo: '2025-06-30' });
  await importUnitFile(db, list2025, { validFrom: '2025-07-01' });
  await importCrosswalk(db, await readFile(crosswalk2025, 'utf8'));
}

/** A CSV of the national lists as plain records, read by the tests' own code (never the pipeline's). */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, v])));
}
