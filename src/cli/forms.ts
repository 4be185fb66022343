import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { cliActor } from '../cycle/audit.ts';
import type { Db } from '../db/connect.ts';
import { storedFormCatalog } from '../forms/form-catalog.ts';
import { importForms, type ImportOutcome } from '../forms/import-forms.ts';
import { definitionOf } from '../schema/form.ts';

/** `tonghop forms import FILE…`: every file checked, all stored or none; each problem printed with its file and path. */
export async function importFormFiles(db: Db, files: readonly string[]): Promise<ImportOutcome> {
  const sources = await Promise.all(
    files.map(async (file) => ({ name: basename(file), text: await readFile(file, 'utf8') })),
  );
  return importForms(db, sources, cliActor());
}

export function formatImport(outcome: ImportOutcome): string {
  if ('problems' in outcome)
    return (
      outcome.problems
        .map((p) => `${p.file}${p.path ? ` ${p.path}` : ''}: ${p.message.vi} / ${p.message.en}`)
        .join('\n') + '\n'
    );
  return (
    outcome.imported
      .map(
        (f) =>
          `${f.code} version ${f.version}${f.valid_from ? ` (from ${f.valid_from})` : ''}: ${f.changed ? 'imported' : 'unchanged'}`,
      )
      .join('\n') + '\n'
  );
}

/** `tonghop forms export CODE [--version N]`: the definition as YAML, as it can be imported again. */
export async function exportForm(db: Db, code: string, version?: number): Promise<string | null> {
  const catalog = await storedFormCatalog(db);
  const wanted = code.trim().toUpperCase();
  const form =
    version === undefined
      ? catalog.find(wanted)
      : catalog.versions().find((f) => f.code === wanted && f.version === version);
  return form ? stringify(definitionOf(form), { lineWidth: 0 }) : null;
}
