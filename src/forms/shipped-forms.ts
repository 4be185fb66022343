import { readdir, readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { releaseActor } from '../cycle/audit.ts';
import type { Db } from '../db/connect.ts';
import { checkDefinitions, type DefinitionSource } from './check-definitions.ts';
import { formCatalogOf, type FormCatalog } from './form-catalog.ts';
import { importForms } from './import-forms.ts';

/** The definitions that ship with tonghop: data files, not modules (data/forms). */
export const shippedFormsDir = fileURLToPath(new URL('../../data/forms/', import.meta.url));

export async function shippedFormFiles(): Promise<DefinitionSource[]> {
  const names = (await readdir(shippedFormsDir)).filter((n) => /\.(ya?ml|json)$/u.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(`${shippedFormsDir}${name}`, 'utf8') })));
}

/** The same, read at once: for pure code paths (tests, generators) that need the shipped forms without a database. */
export function shippedFormFilesSync(): DefinitionSource[] {
  return readdirSync(shippedFormsDir)
    .filter((n) => /\.(ya?ml|json)$/u.test(n))
    .sort()
    .map((name) => ({ name, text: readFileSync(`${shippedFormsDir}${name}`, 'utf8') }));
}

/**
 * Imports the shipped definitions, at migrate and start: on a new installation they become version
 * 1 of their forms; later, an unchanged shipped file changes nothing (it equals a stored version),
 * and one changed by a release becomes a new version.
 */
export async function seedShippedForms(db: Db): Promise<void> {
  const outcome = await importForms(db, await shippedFormFiles(), releaseActor);
  if ('problems' in outcome)
    throw new Error(
      `shipped form definitions are invalid: ${outcome.problems.map((p) => `${p.file} ${p.path}: ${p.message.en}`).join('; ')}`,
    );
}

/** The shipped forms as a fixed catalog, each as version 1, read from the files without a database. */
export function shippedFormCatalog(): FormCatalog {
  const checked = checkDefinitions(shippedFormFilesSync(), []);
  if ('problems' in checked)
    throw new Error(
      `shipped form definitions are invalid: ${checked.problems.map((p) => `${p.file} ${p.path}: ${p.message.en}`).join('; ')}`,
    );
  return formCatalogOf(checked.definitions.map((definition) => ({ version: 1, definition })));
}
