import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/report/fingerprint.ts';
import type { ValidRow } from '../../src/report/validate.ts';

/** The fingerprint as first defined: every canonical text built, sorted, and the whole JSON hashed at once. */
function reference(form: string, rows: readonly ValidRow[]): string {
  const canonical = rows
    .map((r) => JSON.stringify([r.key, Object.entries(r.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]))
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([form, canonical]))
    .digest('hex');
}

const row = (key: string | null, households: number, row = 1): ValidRow => ({
  row,
  key,
  data: { village: key ?? '', households, fiber: households % 2 === 0 },
});

describe('fingerprint', () => {
  it('is the hash of the sorted canonical rows, whether the keys are distinct, missing or repeated', () => {
    // Keys where one is the start of another, or differs only by what JSON escapes.
    const keys = ['nậm pồ', 'nậm', 'nậm pồ 2', 'a"b', 'a\\b', 'a', 'a\u0001', 'ab', 'Ｚ', '😀', '\uffff'];
    const distinct = keys.map((key, i) => row(key, 100 - i, i + 1));
    expect(fingerprint('HTS-BAN', distinct)).toBe(reference('HTS-BAN', distinct));
    expect(fingerprint('HTS-BAN', [...distinct].reverse())).toBe(fingerprint('HTS-BAN', distinct));
    const withoutKeys = [row(null, 3), row(null, 1), row(null, 2)];
    expect(fingerprint('HTS-XA', withoutKeys)).toBe(reference('HTS-XA', withoutKeys));
    const repeated = [row('nậm', 2), row('nậm', 1), row('a', 5)];
    expect(fingerprint('HTS-BAN', repeated)).toBe(reference('HTS-BAN', repeated));
    expect(fingerprint('HTS-BAN', [])).toBe(reference('HTS-BAN', []));
  });

  it('changes when a figure changes', () => {
    expect(fingerprint('HTS-BAN', [row('nậm', 2)])).not.toBe(fingerprint('HTS-BAN', [row('nậm', 3)]));
  });
});
