import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * One commune of the hierarchy valid on some day, with one of today's communes it went into:
 * itself while its unit is still valid, else each of its crosswalk successors valid today. A
 * commune that went nowhere known has a single row with null destination.
 */
export type Destination = {
  code: string;
  province_code: string;
  dest_code: string | null;
  dest_province: string | null;
};

/**
 * Where the communes valid on `day` went by `today`: those of the provinces that went (wholly or
 * partly) into today's province `into`, or those of the province `from` in the hierarchy of `day`.
 */
export async function destinationsAt(
  db: Db,
  day: string,
  today: string,
  which: { into: string } | { from: string },
): Promise<Destination[]> {
  const validOn = (alias: string, date: string) =>
    sql`${sql.ref(`${alias}.valid_from`)} <= ${date} and (${sql.ref(`${alias}.valid_to`)} is null or ${sql.ref(`${alias}.valid_to`)} >= ${date})`;
  // The provinces of `day` to look at: `from` alone, or those with a commune that is, or went into, one of `into`'s today.
  const candidates =
    'into' in which
      ? sql`select ${which.into}::text
            union
            select c.province_code
              from admin_unit n
              join unit_crosswalk x on x.new_code = n.code
              join admin_unit c on c.level = 'commune' and c.code = x.old_code and ${validOn('c', day)}
             where n.level = 'commune' and n.province_code = ${which.into} and ${validOn('n', today)}`
      : sql`select ${which.from}::text`;
  const filter =
    'into' in which
      ? sql`d.province_code in (select province_code from dest where dest_province = ${which.into})`
      : sql`true`;
  const { rows } = await sql<Destination>`
    with era as (
      select c.code, c.province_code, (${validOn('c', today)}) as current
        from admin_unit c
       where c.level = 'commune' and ${validOn('c', day)} and c.province_code in (${candidates})
    ), dest as (
      select e.code, e.province_code,
             case when e.current then e.code else n.code end as dest_code,
             case when e.current then e.province_code else n.province_code end as dest_province
        from era e
        left join unit_crosswalk x on x.old_code = e.code and not e.current
        left join admin_unit n on n.level = 'commune' and n.code = x.new_code and ${validOn('n', today)}
    )
    select d.code, d.province_code, d.dest_code, d.dest_province from dest d where ${filter}
     order by d.code, d.dest_code`.execute(db);
  return rows;
}
