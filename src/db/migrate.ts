import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db } from './connect.ts';
import { seedShippedHolidays } from '../cycle/holidays.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-reform.ts';
import * as m0003 from './migrations/0003-accounts.ts';
import * as m0004 from './migrations/0004-recast-alias.ts';
import * as m0005 from './migrations/0005-report-slot-current.ts';
import * as m0006 from './migrations/0006-analyst-bounds.ts';
import * as m0007 from './migrations/0007-forms-as-data.ts';
import * as m0008 from './migrations/0008-reporting-cycle.ts';
import * as m0010 from './migrations/0010-forbidden-off-history.ts';
import * as m0012 from './migrations/0012-snapshot-version.ts';
import * as m0013 from './migrations/0013-quality.ts';
import * as m0017 from './migrations/0017-checked-file.ts';
import * as m0018 from './migrations/0018-analyst-reads.ts';
import * as m0022 from './migrations/0022-last-report.ts';
import * as m0023 from './migrations/0023-idempotent-request.ts';

/** Numbered, forward-only; a landed migration is never edited, a change is a new file listed here. */
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-reform': m0002,
  '0003-accounts': m0003,
  '0004-recast-alias': m0004,
  '0005-report-slot-current': m0005,
  '0006-analyst-bounds': m0006,
  '0007-forms-as-data': m0007,
  '0008-reporting-cycle': m0008,
  '0010-forbidden-off-history': m0010,
  '0012-snapshot-version': m0012,
  '0013-quality': m0013,
  '0017-checked-file': m0017,
  '0018-analyst-reads': m0018,
  '0022-last-report': m0022,
  '0023-idempotent-request': m0023,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export const latestMigration = Object.keys(migrations).sort().at(-1)!;

/** Brings the schema to the latest migration; applying it again does nothing. Throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // The shipped holiday calendar (SPEC §7) is data, not schema: seeded on every migrate, keeping what an operator imported.
  await seedShippedHolidays(db);
  return (results ?? []).map((r) => r.migrationName);
}

/** True when every migration this code knows has been applied (readiness). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
