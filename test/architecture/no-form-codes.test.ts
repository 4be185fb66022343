import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedFormCatalog } from '../../src/forms/shipped-forms.ts';

const src = join(import.meta.dirname, '../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('forms are data (SPEC §6)', () => {
  it('nothing in src/ names a shipped form or one of its indicators', () => {
    const forms = shippedFormCatalog().versions();
    const names = [...forms.map((f) => f.code), ...forms.flatMap((f) => f.indicators.map((i) => i.code))];
    expect(names.length).toBeGreaterThan(15);
    const found: string[] = [];
    for (const file of filesUnder(src)) {
      const text = readFileSync(file, 'utf8');
      for (const name of names) {
        // A whole word: `staff` may be a word in a comment; an indicator code is never part of a longer name.
        if (new RegExp(`(?<![A-Za-z0-9_-])${name}(?![A-Za-z0-9_-])`, 'u').test(text))
          found.push(`${file.slice(src.length + 1)}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
