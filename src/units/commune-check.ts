import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ScopeTarget } from '../schema/scope.ts';
import type { UnitAt } from './lookup.ts';
import { targetOfRows } from './scope-target.ts';

/** A report's commune on its period's last day, and who may act for it (scope-target.ts). */
export type CommuneFacts = { readonly unit: UnitAt; readonly target: ScopeTarget };

/** What the worker asks of a report's commune: its facts on `day`, or null when no commune had that code then. */
export type CommuneCheck = (code: string, day: string) => Promise<CommuneFacts | null>;

type Row = {
  i: number;
  code: string;
  name: string;
  province_code: string;
  district_code: string | null;
  next_code: string | null;
  next_province: string | null;
};

/**
 * The facts of many (commune, day) pairs in one query: the commune valid on that day and the
 * communes of `today` it went into, which is `communeAt` and `scopeTargetOf` for each pair at once.
 */
export async function communeFacts(
  db: Db,
  keys: readonly { code: string; day: string }[],
  today: string,
): Promise<(CommuneFacts | null)[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<Row>`
    select k.i::int as i, c.code, c.name, c.province_code, c.district_code, n.code as next_code, n.province_code as next_province
      from unnest(${keys.map((k) => k.code)}::text[], ${keys.map((k) => k.day)}::date[]) with ordinality as k(code, day, i)
      join admin_unit c
        on c.level = 'commune' and c.code = k.code and c.valid_from <= k.day and (c.valid_to is null or c.valid_to >= k.day)
      left join unit_crosswalk x
        on x.old_code = c.code and not (c.valid_from <= ${today} and (c.valid_to is null or c.valid_to >= ${today}))
      left join admin_unit n
        on n.level = 'commune' and n.code = x.new_code and n.valid_from <= ${today} and (n.valid_to is null or n.valid_to >= ${today})`.execute(
    db,
  );
  const byKey = new Map<number, Row[]>();
  for (const r of rows) byKey.set(r.i, [...(byKey.get(r.i) ?? []), r]);
  return keys.map((_, index) => {
    const found = byKey.get(index + 1);
    const first = found?.[0];
    const target = found ? targetOfRows('commune', found) : null;
    return first && target
      ? {
          unit: {
            code: first.code,
            name: first.name,
            province_code: first.province_code,
            district_code: first.district_code,
          },
          target,
        }
      : null;
  });
}

/** One pair, one query: the dry run's and a single job's check. */
export function communeCheckOf(db: Db, today: string): CommuneCheck {
  return async (code, day) => (await communeFacts(db, [{ code, day }], today))[0] ?? null;
}

/**
 * Checks asked for while the event loop is busy with other work are answered by one query: the
 * jobs of a batch evaluate side by side and each reaches its commune check in the same turn, so a
 * batch of 50 reports costs one lookup, not 50.
 */
export function batchedCommuneCheck(db: Db, today: string): CommuneCheck {
  let waiting: {
    code: string;
    day: string;
    resolve: (facts: CommuneFacts | null) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const flush = () => {
    const asked = waiting;
    waiting = [];
    communeFacts(db, asked, today).then(
      (facts) => asked.forEach((a, i) => a.resolve(facts[i] ?? null)),
      (error: unknown) => asked.forEach((a) => a.reject(error)),
    );
  };
  return (code, day) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ code, day, resolve, reject });
    });
}
