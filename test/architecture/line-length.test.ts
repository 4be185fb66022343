import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Biome wraps code at 120 but cannot wrap strings, template literals or comments (issue #17): this keeps what it
// cannot wrap from growing past 160 again.
const limit = 160;
const root = join(import.meta.dirname, '../..');
const code = /\.(?:ts|js|mjs|cjs)$/u;

/** The code files git tracks; without git (an exported tree), those under the folders that hold code. */
function codeFiles(): string[] {
  try {
    const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0');
    return listed.filter((f) => code.test(f) && !f.split('/').includes('node_modules'));
  } catch {
    return ['src', 'test', 'bench', 'tools', 'bin'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .map((f) => join(dir, f))
        .filter((f) => code.test(f) && !f.split(/[/\\]/u).includes('node_modules')),
    );
  }
}

/** `file:line (length)` for every line longer than the limit, counted in characters as an editor shows them. */
function longLines(base: string, files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(join(base, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        const length = [...line.replace(/\r$/u, '')].length;
        return length > limit ? [`${file}:${i + 1} (${length})`] : [];
      }),
  );
}

describe(`no line of code over ${limit} characters`, () => {
  it('every tracked .ts and .js file keeps its lines within the limit (split strings, rewrap comments)', () => {
    const files = codeFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(longLines(root, files)).toEqual([]);
  });

  it('the check names a line one character over the limit, by file and line, and not one at the limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'line-length-'));
    try {
      // Vietnamese letters count once each, as in an editor, though UTF-8 gives them two or three bytes.
      writeFileSync(join(dir, 'a.ts'), `${'ệ'.repeat(limit)}\n// ok\n${'x'.repeat(limit + 1)}\n`);
      expect(longLines(dir, ['a.ts'])).toEqual([`a.ts:3 (${limit + 1})`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
