// EXPLAIN (ANALYZE, BUFFERS) of the analyst queries bench/analyst.ts times, on a history it kept:
//   BENCH_KEEP=1 npm run bench:analyst; node bench/analyst-explain.ts DATABASE [old|new] > plans.txt
// `old` explains the statements as src/read wrote them before migration 0018 (recast as_of with a
// correlated max per row); `new` as they are now. The plans go in docs/benchmarks.md.
import os from 'node:os';
import pg from 'pg';

const [database, shape = 'new'] = process.argv.slice(2);
if (!database) throw new Error('usage: node bench/analyst-explain.ts DATABASE [old|new]');
const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}` });
await client.connect();

// The corrected province-period with the most versions, and the instant between its versions 1 and 2.
const versioned = (
  await client.query<{ province_code: string; period: string; versions: number; as_of: Date }>(`
    select v.province_code, v.period, count(*)::int as versions,
           (select computed_at - interval '1 millisecond' from snapshot_version w
             where w.province_code = v.province_code and w.period = v.period and w.snapshot_version = 2) as as_of
      from snapshot_version v group by 1, 2 order by 3 desc, 2 limit 1`)
).rows[0]!;
// The same province in a quarter with one version: as_of must cost the same there.
const single = (
  await client.query<{ province_code: string; period: string; as_of: Date }>(
    `select province_code, period, computed_at + interval '1 millisecond' as as_of from snapshot_head
      where snapshot_version = 1 and province_code = $1 and period < '2025-Q3' order by period limit 1`,
    [versioned.province_code],
  )
).rows[0]!;
const today = (
  await client.query<{ province_code: string }>(
    `select province_code from recast_head where period = '2025-Q4' order by province_code limit 1`,
  )
).rows[0]!.province_code;
const district = (
  await client.query<{ code: string }>(`select code from admin_unit where level = 'district' order by code limit 1`)
).rows[0]!.code;
const asOf = versioned.as_of.toISOString();

const recastAsOf =
  shape === 'old'
    ? `select s.* from analytics.indicator_snapshot_recast_history s
        where s.recast_version = greatest(
          (select max(h.recast_version) from recast_row h where h.province_code = s.province_code and h.period = s.period and h.computed_at <= '${asOf}'),
          (select max(a.recast_version) from recast_alias a where a.province_code = s.province_code and a.period = s.period and a.computed_at <= '${asOf}'))
          and s.period = '${versioned.period}' and s.indicator = 'fiber_village_rate' and s.province_code = '${today}'`
    : `select s.* from analytics.indicator_snapshot_recast_history s
        join (select province_code, period, max(recast_version) as recast_version from recast_version where computed_at <= '${asOf}' group by 1, 2) at
          on at.province_code = s.province_code and at.period = s.period and at.recast_version = s.recast_version
        where s.period = '${versioned.period}' and s.indicator = 'fiber_village_rate' and s.province_code = '${today}'`;

const snapshotAsOf = (p: { province_code: string; period: string }, at: string) => `
  select s.* from analytics.indicator_snapshot_history s
    join (select province_code, period, max(snapshot_version) as snapshot_version from snapshot_version where computed_at <= '${at}' group by 1, 2) at
      on at.province_code = s.province_code and at.period = s.period and at.snapshot_version = s.snapshot_version
   where s.province_code = '${p.province_code}' and s.period = '${p.period}' and s.indicator = 'fiber_village_rate'
   order by s.period, case s.level when 'province' then 0 when 'district' then 1 else 2 end, s.unit_code, s.indicator`;

const queries: [string, string][] = [
  [
    `as_of into version 1 of ${versioned.province_code} ${versioned.period} (${versioned.versions} versions)`,
    snapshotAsOf(versioned, asOf),
  ],
  [
    `as_of on a province-period with one version (${single.province_code} ${single.period}), for comparison`,
    snapshotAsOf(single, single.as_of.toISOString()),
  ],
  [
    `lineage, first statement: the figure of province ${versioned.province_code} in ${versioned.period}, version read first`,
    `select * from snapshot_row s where s.province_code = '${versioned.province_code}' and s.period = '${versioned.period}'
        and s.snapshot_version = (select snapshot_version from snapshot_head where province_code =
          '${versioned.province_code}' and period = '${versioned.period}')
        and s.level = 'province' and s.unit_code = '${versioned.province_code}' and s.indicator = 'fiber_village_rate'`,
  ],
  [`boundaries=current as_of into version 1 (today's province ${today})`, recastAsOf],
  [
    `the page's series: province ${today} on its own boundaries, every period`,
    `select * from analytics.indicator_snapshot s where s.level = 'province' and s.unit_code = '${today}' and s.indicator = 'fiber_village_rate'
      order by s.period, case s.level when 'province' then 0 when 'district' then 1 else 2 end, s.unit_code, s.indicator`,
  ],
  [
    `units.md's recast series (province ${today})`,
    `select period, numerator, denominator, value, predecessors_reporting, exact from analytics.indicator_snapshot_recast
      where level = 'province' and unit_code = '${today}' and indicator = 'fiber_village_rate' order by period`,
  ],
  [
    `interfaces.md's district example (district ${district}, ${single.period})`,
    `select unit_name, indicator, numerator, denominator, round(value::numeric, 3) from analytics.indicator_snapshot
      where level = 'district' and unit_code = '${district}' and period = '${single.period}'`,
  ],
  [
    `the national commune export of 2025-Q2 (admin)`,
    `select * from analytics.indicator_snapshot s where s.level = 'commune' and s.period = '2025-Q2'
      order by s.period, case s.level when 'province' then 0 when 'district' then 1 else 2 end, s.unit_code, s.indicator`,
  ],
];

console.log(
  `-- ${database}, ${shape} statements, ${new Date().toISOString()}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const [title, text] of queries) {
  const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${text}`);
  console.log(`\n### ${title}\n`);
  console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
}
await client.end();
