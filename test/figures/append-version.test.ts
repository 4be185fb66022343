import { describe, expect, it } from 'vitest';
import { appendRowsVersion, appendVersion, appendVersionOfJson } from '../../src/figures/append-version.ts';

describe('appendVersion', () => {
  it('starts a series at 1, appends when the content changed, and keeps the head when it did not', () => {
    const first = appendVersion(undefined, [['row'], ['source']]);
    expect(first).toMatchObject({ version: 1, changed: true });
    expect(appendVersion({ version: 1, contentHash: first.contentHash }, [['row'], ['source']])).toEqual({
      version: 1,
      changed: false,
      contentHash: first.contentHash,
    });
    const next = appendVersion({ version: 1, contentHash: first.contentHash }, [['row', 'another'], ['source']]);
    expect(next).toMatchObject({ version: 2, changed: true });
    expect(next.contentHash).not.toBe(first.contentHash);
  });

  it('hashes JSON given in parts as the content it is the text of, so stored heads compare the same', () => {
    const rows = [{ unit: 'Xã Mường Chà', value: 0.25 }];
    const sources = [{ submissionId: 7 }];
    expect(appendVersionOfJson(undefined, ['[', JSON.stringify(rows), ',', JSON.stringify(sources), ']'])).toEqual(
      appendVersion(undefined, [rows, sources]),
    );
    expect(appendRowsVersion(undefined, rows, sources)).toEqual({
      ...appendVersion(undefined, [rows, sources]),
      rowsJson: JSON.stringify(rows),
    });
  });
});
