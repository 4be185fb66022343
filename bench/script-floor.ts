// The script floor (issue 22): the same national quarter as an analyst would load it with a
// one-process script — read the files from a folder, parse them, check them by the forms' rules,
// write the rows and COPY them, then one GROUP BY — with none of the pipeline's code. What the bulk
// path is compared with: a pipeline that keeps versions, lineage, audit and snapshots cannot be
// cheaper than this.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.ts';
import { copyAndGroup, type FloorFigure } from './floor.ts';
import { xaHeaderOf, type BenchFile } from './quarter-generator.ts';

export type ScriptFloor = {
  seconds: number;
  readSeconds: number;
  checkSeconds: number;
  copySeconds: number;
  groupSeconds: number;
  cpuSeconds: number;
  rejected: number;
  figures: FloorFigure[];
};

const yesNo = (s: string): boolean | null => {
  const v = s.trim().toLowerCase();
  return v === 'có' || v === 'co' || v === 'yes' || v === 'x' || v === '1'
    ? true
    : v === 'không' || v === 'khong' || v === 'no' || v === '0'
      ? false
      : null;
};
const count = (s: unknown): number | null =>
  typeof s === 'number' && Number.isInteger(s) && s >= 0
    ? s
    : typeof s === 'string' && /^\d+$/u.test(s.trim())
      ? Number(s)
      : null;

/** The files are written to a folder per province first (not timed): what the analyst starts from. */
export async function runScriptFloor(
  db: Db,
  files: readonly BenchFile[],
  period: { canonical: string; lastDay: string },
): Promise<ScriptFloor> {
  const root = join(tmpdir(), `tonghop-script-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(join(root, f.province), { recursive: true });
    writeFileSync(join(root, f.province, f.name), f.text);
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const communes = new Set(
    (
      await sql<{
        code: string;
      }>`select code from admin_unit where level = 'commune' and valid_from <= ${period.lastDay}::date and
        (valid_to is null or valid_to >= ${period.lastDay}::date)`.execute(db)
    ).rows.map((r) => r.code),
  );
  const texts: { name: string; text: string }[] = [];
  for (const province of readdirSync(root))
    for (const name of readdirSync(join(root, province)))
      texts.push({ name, text: readFileSync(join(root, province, name), 'utf8') });
  const t1 = performance.now();

  const villages: string[] = [];
  const offices: string[] = [];
  let rejected = 0;
  const b = (v: boolean) => (v ? 't' : 'f');
  for (const { name, text } of texts) {
    if (name.endsWith('.csv')) {
      const lines = text.trim().split('\n');
      const rows: string[] = [];
      const seen = new Set<string>();
      let ok = lines.length > 1;
      for (const line of lines.slice(1)) {
        const [commune, per, village, households, population, fiber, mobile, g3, smartphone, epayment] =
          line.split(',');
        const n = [households, population, smartphone, epayment].map(count);
        const yn = [fiber, mobile, g3].map((v) => yesNo(v ?? ''));
        const key = (village ?? '').trim().toLowerCase();
        if (
          !communes.has(commune!) ||
          per !== period.canonical ||
          key === '' ||
          seen.has(key) ||
          n.includes(null) ||
          yn.includes(null) ||
          (yn[2] && !yn[1]) ||
          n[2]! > n[1]! ||
          n[3]! > n[1]!
        )
          ok = false;
        seen.add(key);
        rows.push([commune, n[0], n[1], b(yn[0]!), b(yn[1]!), b(yn[2]!), n[2], n[3]].join(','));
      }
      if (ok) villages.push(...rows);
      else rejected += 1;
    } else {
      const o = JSON.parse(text) as { commune: string; period: string; rows: Record<string, unknown>[] };
      const row = o.rows[0] ?? {};
      const [computers, broadband, staff, withComputer] = [
        'computers',
        'computers_broadband',
        'staff',
        'staff_with_computer',
      ].map((k) => count(row[xaHeaderOf(k)]));
      const [specialized, video] = ['specialized_network', 'video_conference'].map((k) =>
        yesNo(String(row[xaHeaderOf(k)] ?? '')),
      );
      const ok =
        o.rows.length === 1 &&
        communes.has(o.commune) &&
        o.period === period.canonical &&
        ![computers, broadband, staff, withComputer].includes(null) &&
        specialized !== null &&
        video !== null &&
        broadband! <= computers! &&
        withComputer! <= staff!;
      if (ok)
        offices.push([o.commune, computers, broadband, staff, withComputer, b(specialized!), b(video!)].join(','));
      else rejected += 1;
    }
  }
  const t2 = performance.now();
  const loaded = await copyAndGroup(db, villages, offices, period);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  rmSync(root, { recursive: true, force: true });
  return {
    seconds,
    readSeconds: (t1 - t0) / 1000,
    checkSeconds: (t2 - t1) / 1000,
    copySeconds: loaded.copySeconds,
    groupSeconds: loaded.groupSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rejected,
    figures: loaded.figures,
  };
}
