import { readFile } from 'node:fs/promises';
import type { Db } from '../db/connect.ts';
import { importCrosswalk, importUnits, unitsFromCsv, type UnitImport } from './import.ts';

/** Where the national lists that ship with tonghop live (sources and licences in SOURCES.md there). */
export const builtinUnitsDir = new URL('../../data/units/', import.meta.url);

/**
 * The shipped lists, each with the validity its era requires: the last list before the reform
 * until 30 June 2025, the reform's list from 1 July 2025, and the old→new commune crosswalk.
 */
export const builtinUnitLists = [
  { file: 'vn-admin-units-2024.csv', dates: { validTo: '2025-06-30' } },
  { file: 'vn-admin-units-2025.csv', dates: { validFrom: '2025-07-01' } },
] as const;
export const builtinCrosswalk = 'vn-commune-crosswalk-2025.csv';

export const builtinUnitPath = (file: string): string => new URL(file, builtinUnitsDir).pathname;

export type BuiltinImport = { lists: (UnitImport & { file: string })[]; crosswalkPairs: number };

/** Loads today's Vietnam and its history: both lists in their eras, then the crosswalk. Importing again changes nothing. */
export async function importBuiltinUnits(db: Db): Promise<BuiltinImport> {
  const lists: BuiltinImport['lists'] = [];
  for (const { file, dates } of builtinUnitLists) {
    lists.push({
      file,
      ...(await importUnits(db, unitsFromCsv(await readFile(builtinUnitPath(file), 'utf8'), dates))),
    });
  }
  const crosswalkPairs = await importCrosswalk(db, await readFile(builtinUnitPath(builtinCrosswalk), 'utf8'));
  return { lists, crosswalkPairs };
}
