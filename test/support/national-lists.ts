import { readFile } from 'node:fs/promises';
import type { Db } from '../../src/db/connect.ts';
import { builtinCrosswalk, builtinUnitPath, importBuiltinUnits } from '../../src/units/builtin.ts';

/** The real national lists that ship with tonghop (`data/units`, SOURCES.md there). */
export const list2024 = builtinUnitPath('vn-admin-units-2024.csv');
export const list2025 = builtinUnitPath('vn-admin-units-2025.csv');
export const crosswalk2025 = builtinUnitPath(builtinCrosswalk);

/**
 * The reform in the units table, as `tonghop units import --builtin` loads it: the 2024 list until
 * 30 June 2025, the 2025 list from 1 July 2025, and the crosswalk.
 */
export async function importNationalLists(db: Db): Promise<void> {
  await importBuiltinUnits(db);
}

/** A CSV of the national lists as plain records, read by the tests' own code (never the pipeline's). */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, v])));
}
