import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The README and every Markdown page under docs/ and data/. */
function pages(): string[] {
  const under = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? under(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return ['README.md', ...under('docs'), ...under('data')];
}

/** Markdown without its code: fenced blocks and inline code hold commands, not links. */
const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```$/gmu, '').replace(/`[^`\n]*`/gu, '');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} (.+)$/gmu)) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/gu, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

describe('README and docs/', () => {
  it('have no broken link or image: every relative target exists, and every #anchor is a heading there', () => {
    const broken: string[] = [];
    const all = pages();
    expect(all).toContain('docs/README.md');
    for (const page of all) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const [, target] of prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/gu)) {
        if (/^[a-z]+:/iu.test(target!)) continue; // http(s), mailto: outside the repository
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURIComponent(path));
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no ${relative(root, file)})`);
          continue;
        }
        if (anchor !== undefined && (statSync(file).isDirectory() || !anchors(readFileSync(file, 'utf8')).has(anchor)))
          broken.push(`${page}: ${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README starts with what tonghop is, the two commands, and a table of contents for the rest', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const firstScreen = readme.split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toContain('npm ci && npm start');
    expect(firstScreen).toContain('npm test');
    expect(readme).toContain('npx tonghop units import --builtin');
    expect(readme).toMatch(/fiber_village_rate\s+65\s+121/u);
    expect(readme).toContain('(docs/README.md)');
  });
});
