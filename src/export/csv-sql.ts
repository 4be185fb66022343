import { sql, type RawBuilder } from 'kysely';

/** A column's Postgres type, which decides how node-postgres reads it and so how csv.ts writes it. */
export type SqlCellKind = 'text' | 'integer' | 'numeric' | 'float8' | 'boolean' | 'timestamptz';

/**
 * The line csv.ts's csvLine writes for a row, written by Postgres instead (one text column per
 * row), so that the export's process reads one field a row and parses and formats nothing: the
 * national commune export was held below 100,000 rows/s by node-postgres making each row an
 * object and csvCell writing each cell again (issue 22). Every cell is the bytes csvCell writes
 * for the value node-postgres would have read (test/export/csv-sql.test.ts): each kind has a
 * cheap branch for the values figures hold and an exact rewrite for the rest.
 */
export function csvLineSql(columns: readonly (readonly [ref: string, kind: SqlCellKind])[]): RawBuilder<string> {
  // concat_ws is one call for the whole line where `||` would copy it once per cell; no cell is NULL, so none is skipped.
  return sql<string>`concat_ws(',', ${sql.join(
    columns.map(([ref, kind]) => cellSql[kind](sql.ref(ref))),
    sql`, `,
  )})`;
}

type Cell = RawBuilder<unknown>;

const cellSql: Record<SqlCellKind, (c: Cell) => Cell> = {
  text: textCell,
  // int4 text is what parseInt then String give back.
  integer: (c) => sql`coalesce(${c}::text, '')`,
  numeric: numericCell,
  float8: (x) => sql`case when ${x} is null then '' else ${float8Text(x)} end`,
  // ::text of a boolean is `true`/`false`, as String(true) (its output function alone writes `t`/`f`).
  boolean: (c) => sql`coalesce(${c}::text, '')`,
  timestamptz: timestampCell,
};

/**
 * neutralize-formula.ts's apostrophe before = + - @ tab CR (61 43 45 64 9 13; ascii('') is 0),
 * then csv.ts's quotes around a cell holding " , ; tab LF CR, its quotes doubled.
 */
function textCell(c: Cell): Cell {
  const safe = sql`case when ascii(${c}) in (61, 43, 45, 64, 9, 13) then '''' || ${c} else ${c} end`;
  return sql`case when ${c} is null then ''
    when ${c} ~ '[",;\\t\\n\\r]' then '"' || replace(${safe}, '"', '""') || '"' else ${safe} end`;
}

/**
 * String(x) of a double x that node-postgres read with parseFloat from Postgres' text. Inside
 * 1e-4 ≤ |x| < 1e15 Postgres' text is JavaScript's: the shortest digits that read back as x, the
 * closest of them (Ryu in Postgres; the ECMAScript rule in V8), written plain by both. Outside it
 * (rare in figures) the text is rewritten (jsNumberOfPostgresText); -0 is `0`.
 */
function float8Text(x: Cell): Cell {
  return sql`case when abs(${x}) >= 1e-4::float8 and abs(${x}) < 1e15::float8 then ${x}::text
    when ${x} = 0 then '0' else ${jsNumberOfPostgresText(x)} end`;
}

/**
 * String(x) from Postgres' text of x (`NaN`, `-Infinity`, `1.5e-07`, `5.7948039387389904e+16`).
 * JavaScript writes plain for 1e-6 ≤ |x| < 1e21 and an exponent as `e-7`/`e+21`, where Postgres
 * writes `e-07` outside 1e-4 ≤ |x| < 1e15. Above 2^53 a double's rounding interval can end on a
 * short decimal (7e22, 57948039387389900: halfway to the next double, read back as x by rounding
 * to even): JavaScript takes it, Postgres' Ryu does not look at the ends above ~1e15 and writes
 * 17 digits. So from 1e15 up the first shorter prefix of Postgres' digits, cut or rounded up,
 * that reads back as x is taken (both, when both do: equally far, ends of the interval, and then
 * the even one, as ECMAScript says).
 */
function jsNumberOfPostgresText(x: Cell): Cell {
  // s: the text; g: its sign; d0, e0: its digits and the exponent of the first; d, e: the shortest, as JavaScript finds them.
  return sql`(select case
      when e is null then s
      when e <= -7 or e >= 21 then g || left(d, 1) || case when length(d) > 1 then '.' || substr(d, 2) else '' end
        || 'e' || case when e < 0 then '-' else '+' end || abs(e)::text
      when e < 0 then g || '0.' || repeat('0', -e - 1) || d
      when length(d) <= e + 1 then g || d || repeat('0', e + 1 - length(d))
      else g || left(d, e + 1) || '.' || substr(d, e + 2) end
    from (select s, g, coalesce(rtrim(c, '0'), d0) as d, coalesce(length(c) - 1 + e0 - l + 1, e0) as e
      from (select s, g, d0, e0 from (select ${x}::text as s) as t,
          lateral (select case when left(s, 1) = '-' then '-' else '' end as g,
            translate(split_part(s, 'e', 1), '-.', '') as d0, nullif(split_part(s, 'e', 2), '')::int as e0) as parts) as p
        left join lateral (select l, c from generate_series(1, length(d0) - 1) as l,
            lateral (values (left(d0, l)), (((left(d0, l))::numeric + 1)::text)) as v(c)
          -- A CASE, so that a prefix rounded up past the largest double is never read as one (an error).
          where e0 >= 15 and case when (c || 'e' || (e0 - l + 1))::numeric < ${sql.lit(overflow)}::numeric
            then (g || c || 'e' || (e0 - l + 1))::float8 = ${x} else false end
          order by l, right(c, 1)::int % 2 limit 1) as shorter on true) as shortest)`;
}

// The decimals a double reads as Infinity and as 0: from the halfway point between the largest
// double and 2^1024 up, and to half the smallest subnormal (2^-1075) down, both halfway cases
// rounding to even. Postgres' numeric → float8 refuses both where Number() gives ±Infinity and 0.
const overflow = (2n ** 1024n - 2n ** 970n).toString();
const underflow = `0.${(5n ** 1075n).toString().padStart(1075, '0')}`;

/**
 * String(Number(text)) of a numeric. An integer below 1e15, or a decimal below 1e9 with at most
 * six places, is its digits without trailing zeros (15 digits or fewer read back as themselves);
 * the rest is the double Number() reads, which is Postgres' numeric → float8 (a correctly
 * rounded strtod of the same text), written as a double is.
 */
function numericCell(n: Cell): Cell {
  return sql`case when ${n} is null then ''
    when ${n} = trunc(${n}) and abs(${n}) < 1e15 then trunc(${n})::text
    when abs(${n}) < 1e9 and abs(${n}) >= 0.000001 and ${n} = round(${n}, 6) then trim_scale(${n})::text
    when ${n} = 'NaN'::numeric then 'NaN'
    when abs(${n}) >= ${sql.lit(overflow)}::numeric then case when ${n} > 0 then 'Infinity' else '-Infinity' end
    when abs(${n}) <= ${sql.lit(underflow)}::numeric then '0'
    else ${float8Text(sql`${n}::float8`)} end`;
}

/**
 * Date.toISOString() of the Date node-postgres (postgres-date) makes: the instant in UTC to the
 * millisecond, the microseconds cut (its 1000 × parseFloat('.dddddd') truncates to the same
 * millisecond for all 10^6 values: checked in the test); a year outside 0–9999 as ±YYYYYY, 1 BC
 * as year 0; ±infinity is the number ±Infinity, which csv.ts writes as such.
 */
function timestampCell(t: Cell): Cell {
  const iso = `'-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  return sql`case when ${t} is null then ''
    when ${t} >= '0001-01-01 00:00:00+00'::timestamptz and ${t} < '10000-01-01 00:00:00+00'::timestamptz
      then to_char(${t} at time zone 'UTC', ${sql.raw(`'YYYY${iso.slice(1)}`)})
    when ${t} = 'infinity'::timestamptz then 'Infinity'
    when ${t} = '-infinity'::timestamptz then '-Infinity'
    else (select case when y between 0 and 9999 then lpad(y::text, 4, '0')
        when y < 0 then '-' || lpad((-y)::text, 6, '0') else '+' || lpad(y::text, 6, '0') end
        || to_char(u, ${sql.raw(iso)})
      from (select u, extract(year from u)::int + case when extract(year from u) < 0 then 1 else 0 end as y
        from (select ${t} at time zone 'UTC' as u) as a) as b) end`;
}
