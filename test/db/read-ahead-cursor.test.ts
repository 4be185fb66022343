import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDb } from '../../src/db/connect.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
// One connection: a batch asked ahead and never taken must not leave it busy or in a portal.
const db = () => connectDb(services.env.DATABASE_URL!, { max: 1 });
const opened: ReturnType<typeof db>[] = [];
const oneConnection = () => {
  const d = db();
  opened.push(d);
  return d;
};
afterAll(async () => {
  for (const d of opened) await d.destroy();
});

const numbers = (d: ReturnType<typeof db>, n: number) =>
  d.selectFrom(sql`generate_series(1, ${n})`.as('g')).select(sql<number>`g`.as('n'));

const stillAnswers = async (d: ReturnType<typeof db>) =>
  Promise.race([
    sql<{ one: number }>`select 1 as one`.execute(d).then((r) => r.rows[0]!.one),
    new Promise((resolve) => setTimeout(() => resolve('connection still busy'), 5000)),
  ]);

describe('the cursor behind .stream() (read-ahead-cursor.ts)', () => {
  it('gives every row once, in order, whatever the count against the batch size', async () => {
    const d = oneConnection();
    for (const count of [0, 1, 9, 10, 11, 50, 57]) {
      const got: number[] = [];
      for await (const row of numbers(d, count).stream(10)) got.push(row.n);
      expect(got).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
    expect(await stillAnswers(d)).toBe(1);
  });

  it('has Postgres produce the next batch while this process still holds the one before', async () => {
    const d = oneConnection();
    await sql`create sequence if not exists read_ahead_probe`.execute(services.db);
    await sql`select setval('read_ahead_probe', 1, false)`.execute(services.db);
    const rows = d
      .selectFrom(sql`generate_series(1, 35)`.as('g'))
      .select(sql<number>`nextval('read_ahead_probe')`.as('n'))
      .stream(10);
    try {
      const first = await rows.next();
      expect(first.value?.n).toBe(1);
      // A sequence moves outside transactions: another connection sees how many rows Postgres has made.
      let made = 0;
      for (let i = 0; i < 50 && made < 20; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        made = Number(
          (await sql<{ n: string }>`select last_value as n from read_ahead_probe`.execute(services.db)).rows[0]!.n,
        );
      }
      // The plain cursor stops at 10 until the tenth row is taken.
      expect(made).toBe(20);
      const rest: number[] = [];
      for (let r = await rows.next(); !r.done; r = await rows.next()) rest.push(r.value.n);
      expect([first.value!.n, ...rest]).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    } finally {
      // A failed expectation must not leave the one connection in the cursor.
      await rows.return?.(undefined);
    }
  });

  it('leaves the connection free when the reader stops while a batch is asked ahead', async () => {
    const d = oneConnection();
    for await (const row of numbers(d, 100_000).stream(10)) if (row.n === 15) break;
    expect(await stillAnswers(d)).toBe(1);
    const open = await sql<{ n: number }>`select count(*)::int as n from pg_cursors where name like 'C\_%'`.execute(d);
    expect(open.rows[0]!.n).toBe(0);
  });

  it('fails the read that reaches a batch Postgres failed to make, after every row before it', async () => {
    const d = oneConnection();
    const got: number[] = [];
    const read = async () => {
      for await (const row of d
        .selectFrom(sql`generate_series(1, 30)`.as('g'))
        .select(sql<number>`(100 / (g - 25))::int + g * 0`.as('n'))
        .stream(10))
        got.push(row.n);
    };
    await expect(read()).rejects.toThrow(/division by zero/u);
    expect(got).toHaveLength(20);
    expect(await stillAnswers(d)).toBe(1);
  });
});
