import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../src/read/iso-instant.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

describe('isoInstant', () => {
  it('writes in Postgres what the Date node-postgres reads serializes to, microseconds cut as node-postgres cuts them', async () => {
    // Instants over 1000–9999 with every kind of fraction: none, whole milliseconds, microseconds
    // just below and above a millisecond, and a spread of random ones.
    const fractions = [0, 1, 999, 1000, 1001, 123_456, 999_999, 500_000, 7, 990_000];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const texts: string[] = [];
    for (const year of [1000, 1969, 1970, 2000, 2025, 2026, 2100, 9999])
      for (const f of fractions) texts.push(`${year}-03-01 12:34:56.${String(f).padStart(6, '0')}+00`);
    for (let i = 0; i < 2000; i += 1) {
      const seconds = Math.floor(random() * 4e9);
      const micros = Math.floor(random() * 1e6);
      texts.push(
        `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${String(micros).padStart(6, '0')}+00`,
      );
    }
    // In a session whose time zone is not UTC: the text must not depend on it.
    const rows = await services.db.connection().execute(async (c) => {
      await sql`set timezone = 'Asia/Ho_Chi_Minh'`.execute(c);
      const r = await sql<{ at: Date; iso: string }>`
        select t.at, ${isoInstant('t.at')} as iso from unnest(${texts}::timestamptz[]) as t (at)`.execute(c);
      await sql`reset timezone`.execute(c);
      return r.rows;
    });
    expect(rows).toHaveLength(texts.length);
    const differ = rows.filter((r) => r.at.toISOString() !== r.iso);
    expect(differ.slice(0, 5)).toEqual([]);
  });
});
