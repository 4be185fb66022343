import { sql } from 'kysely';
import { audit, type Actor } from '../cycle/audit.ts';
import type { Db } from '../db/connect.ts';
import type { RollupJob } from '../schema/jobs.ts';
import {
  checkDefinitions,
  definitionDigest,
  type DefinitionProblem,
  type DefinitionSource,
} from './check-definitions.ts';
import { formCatalogOf, loadStoredVersions } from './form-catalog.ts';

export type ImportedForm = { code: string; version: number; valid_from: string | null; changed: boolean };
export type ImportOutcome = { imported: ImportedForm[]; due: RollupJob[] } | { problems: DefinitionProblem[] };

/**
 * Imports form definitions (SPEC §6), all or nothing: every file is checked first and nothing is
 * stored unless all are valid. A definition identical to a stored version of its code changes
 * nothing; any other is that code's next version. The province-periods whose serving version
 * changed are marked due (`due`), so their snapshots are computed again from the stored report rows.
 */
export async function importForms(
  db: Db,
  sources: readonly DefinitionSource[],
  actor: Actor,
  now: Date = new Date(),
): Promise<ImportOutcome> {
  return db.transaction().execute(async (tx) => {
    // One import at a time: two imports of one code must not both become version N.
    await sql`select pg_advisory_xact_lock(hashtextextended('form_definition', 0))`.execute(tx);
    const stored = await loadStoredVersions(tx);
    const checked = checkDefinitions(
      sources,
      stored.versions.map((v) => v.definition),
    );
    if ('problems' in checked) return { problems: checked.problems };

    const before = formCatalogOf(stored.versions);
    const after = [...stored.versions];
    const imported: ImportedForm[] = [];
    for (const def of checked.definitions) {
      const digest = definitionDigest(def);
      const same = stored.versions.find(
        (v) => v.definition.code === def.code && definitionDigest(v.definition) === digest,
      );
      if (same) {
        imported.push({ code: def.code, version: same.version, valid_from: def.valid_from ?? null, changed: false });
        continue;
      }
      const version = Math.max(0, ...after.filter((v) => v.definition.code === def.code).map((v) => v.version)) + 1;
      await tx
        .insertInto('form_definition')
        .values({
          code: def.code,
          version,
          valid_from: def.valid_from ?? null,
          definition: JSON.stringify(def),
          digest,
          imported_by: actor.name ?? actor.id,
        })
        .execute();
      after.push({ version, definition: def });
      imported.push({ code: def.code, version, valid_from: def.valid_from ?? null, changed: true });
    }

    const changedCodes = imported.filter((i) => i.changed).map((i) => i.code);
    if (changedCodes.length === 0) return { imported, due: [] };
    // A new version changes what every commune reports and how its figures are computed (SPEC §7: audited).
    const versions = imported
      .filter((i) => i.changed)
      .map(({ code, version, valid_from }) => ({ code, version, valid_from }));
    await audit(tx, actor, [
      { action: 'forms.import', subject: { forms: versions, files: sources.map((s) => s.name) }, at: now },
    ]);
    const catalog = formCatalogOf(after);
    const heads = await tx.selectFrom('snapshot_head').select(['province_code', 'period', 'period_end']).execute();
    // A form imported for the first time is in no snapshot yet: no report of it can have been accepted.
    const moved = (code: string, day: string) => {
      const was = before.find(code, day);
      return was !== undefined && was.version !== catalog.find(code, day)?.version;
    };
    const due = heads.filter((h) => changedCodes.some((code) => moved(code, h.period_end)));
    if (due.length > 0) {
      await tx
        .insertInto('rollup_due')
        .values(due.map((h) => ({ province_code: h.province_code, period: h.period })))
        .onConflict((oc) =>
          oc.columns(['province_code', 'period']).doUpdateSet({ due_seq: sql`rollup_due.due_seq + 1` }),
        )
        .execute();
    }
    return { imported, due: due.map((h) => ({ provinceCode: h.province_code, period: h.period })) };
  });
}
