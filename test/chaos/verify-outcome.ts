import type { Db } from '../../src/db/connect.ts';
import { expectedSnapshots, figureKey } from './expected-snapshots.ts';
import { slotKey, type Universe } from './synthetic-reports.ts';

export type Verdict = {
  filesSent: number;
  statuses: Record<string, number>;
  /** Files or slots whose data does not count as it must: no 202, never decided, a valid report rejected, rows missing, a slot without its current version. */
  lost: string[];
  /** Anything counted more than once: a file stored twice, a slot with two current versions, a version number twice, rows twice. */
  countedTwice: string[];
  /** Other departures from SPEC §4.3–4.4: a broken report not rejected, the wrong version current, versions out of order. */
  wrongOutcome: string[];
  snapshotsEqual: number;
  snapshotsTotal: number;
  snapshotMismatches: string[];
};

const sameNumber = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/**
 * Compares what the pipeline ended with against what the files sent say it must: every file's
 * outcome and version, its rows stored once, one current version per slot, and every commune,
 * district and province figure of `analytics.indicator_snapshot` against plain sums.
 */
export async function verifyOutcome(
  db: Db,
  universe: Universe,
  idsOfFile: ReadonlyMap<number, readonly number[]>,
): Promise<Verdict> {
  const lost: string[] = [];
  const countedTwice: string[] = [];
  const wrongOutcome: string[] = [];
  const subs = await db
    .selectFrom('submission')
    .select(['id', 'status', 'version', 'commune_code', 'form', 'period'])
    .execute();
  const byId = new Map(subs.map((s) => [s.id, s]));
  const rowCounts = new Map(
    (
      await db
        .selectFrom('report_row')
        .select(['submission_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('submission_id')
        .execute()
    ).map((r) => [r.submission_id, Number(r.n)]),
  );
  const statuses: Record<string, number> = {};
  for (const s of subs) statuses[s.status] = (statuses[s.status] ?? 0) + 1;

  // Each file: stored once, decided, and (unless broken on purpose) not rejected; its rows stored
  // exactly when it got a version.
  const claimed = new Set<number>();
  const bySlot = new Map<string, { file: (typeof universe.files)[number]; sub: (typeof subs)[number] }[]>();
  for (const file of universe.files) {
    const ids = idsOfFile.get(file.index) ?? [];
    if (ids.length !== 1) {
      lost.push(`${file.name}: ${ids.length === 0 ? 'never stored (no 202)' : `stored as ${ids.length} submissions`}`);
      continue;
    }
    const id = ids[0]!;
    claimed.add(id);
    const sub = byId.get(id);
    if (!sub) {
      lost.push(`${file.name}: submission ${id} is not in Postgres`);
      continue;
    }
    if (sub.status === 'queued' || sub.status === 'processing') {
      lost.push(`${file.name}: submission ${id} still ${sub.status}`);
      continue;
    }
    if (file.kind === 'broken') {
      if (sub.status !== 'rejected') wrongOutcome.push(`${file.name}: breaks a rule but is ${sub.status}`);
      continue;
    }
    if (sub.status === 'rejected') {
      lost.push(`${file.name}: submission ${id} rejected`);
      continue;
    }
    const rows = rowCounts.get(id) ?? 0;
    const want = sub.version === null ? 0 : file.rows;
    if (rows !== want)
      (rows > want ? countedTwice : lost).push(
        `${file.name}: ${rows} rows stored for ${sub.status} v${sub.version}, expected ${want}`,
      );
    const key = slotKey(file.slot);
    bySlot.set(key, [...(bySlot.get(key) ?? []), { file, sub }]);
  }
  for (const s of subs)
    if (!claimed.has(s.id))
      countedTwice.push(
        `submission ${s.id} (${s.commune_code} ${s.form} ${s.period}, ${s.status}) belongs to no file: stored twice`,
      );

  // Each slot (SPEC §4.3, §4.4): one current version, the newest received that is not a duplicate,
  // only duplicates after it; versions 1..n in order of receipt, none twice.
  for (const [key, entries] of bySlot) {
    entries.sort((a, b) => a.sub.id - b.sub.id);
    const current = entries.filter((e) => e.sub.status === 'accepted');
    if (current.length === 0) lost.push(`${key}: no current version`);
    else if (current.length > 1) countedTwice.push(`${key}: ${current.length} current versions`);
    else {
      const at = entries.indexOf(current[0]!);
      if (entries.slice(at + 1).some((e) => e.sub.status !== 'duplicate'))
        wrongOutcome.push(`${key}: current is ${current[0]!.sub.id}, not the newest report received`);
      if (entries.slice(0, at).some((e) => e.sub.status === 'accepted'))
        wrongOutcome.push(`${key}: an older report is still current`);
    }
    const versions = entries.map((e) => e.sub.version).filter((v) => v !== null);
    if (new Set(versions).size !== versions.length) countedTwice.push(`${key}: version numbers ${versions.join(',')}`);
    else if (versions.some((v, i) => v !== i + 1))
      wrongOutcome.push(`${key}: versions ${versions.join(',')} in order of receipt`);
  }

  const expected = expectedSnapshots(universe);
  const actual = await db
    .selectFrom('analytics.indicator_snapshot')
    .select([
      'level',
      'unit_code',
      'period',
      'indicator',
      'numerator',
      'denominator',
      'value',
      'communes_reporting',
      'communes_expected',
    ])
    .where('province_code', 'in', universe.provinces)
    .execute();
  const actualByKey = new Map(
    actual.map((a) => [figureKey({ level: a.level, unit: a.unit_code, period: a.period, indicator: a.indicator }), a]),
  );
  const snapshotMismatches: string[] = [];
  let snapshotsEqual = 0;
  for (const e of expected) {
    const a = actualByKey.get(figureKey(e));
    actualByKey.delete(figureKey(e));
    const equal =
      a !== undefined &&
      a.numerator === e.numerator &&
      a.denominator === e.denominator &&
      sameNumber(a.value, e.value) &&
      a.communes_reporting === e.communesReporting &&
      a.communes_expected === e.communesExpected;
    if (equal) snapshotsEqual += 1;
    else {
      const got = a
        ? `${a.numerator}/${a.denominator} (${a.communes_reporting}/${a.communes_expected} communes)`
        : 'no row';
      snapshotMismatches.push(
        `${figureKey(e)}: ${got}, expected ${e.numerator}/${e.denominator} (${e.communesReporting}/${e.communesExpected} communes)`,
      );
    }
  }
  for (const key of actualByKey.keys()) snapshotMismatches.push(`${key}: a row no file accounts for`);

  return {
    filesSent: universe.files.length,
    statuses,
    lost,
    countedTwice,
    wrongOutcome,
    snapshotsEqual,
    snapshotsTotal: expected.length,
    snapshotMismatches,
  };
}
