import { describe, expect, it } from 'vitest';
import { importGraph } from '../../tools/import-graph.ts';

describe('one core, two doors (tools/layers.json)', () => {
  it('no import crosses a forbidden line: ingest and workers stand apart, and the core stands on no door and no service library', () => {
    expect(importGraph().violations).toEqual([]);
  });

  it('the check catches what it forbids: rules that forbid the core reading the database find those imports, and one naming a library finds it', () => {
    const { violations } = importGraph({
      core: ['report'],
      serviceLibraries: ['node:crypto'],
      forbidden: [{ from: 'core', to: 'db', why: 'test' }],
    });
    expect(violations.some((v) => v.file.startsWith('src/report/') && v.imports.includes('/db/'))).toBe(true);
    expect(violations.some((v) => v.imports === 'node:crypto')).toBe(true);
  });
});
