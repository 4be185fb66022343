import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildAssets, toBrowserModule } from '../../src/ingest/web/assets.ts';
import { pages } from '../../src/ingest/web/pages.ts';
import { renderShell } from '../../src/ingest/web/shell.ts';

const assets = await buildAssets();

describe('the web pages’ assets', () => {
  it('browser modules are the client .ts files with types stripped and sibling imports made .js', () => {
    const { code, imports } = toBrowserModule(
      'x.ts',
      "import { a } from './a.ts';\nimport type { B } from '../../b.ts';\nexport const c: number = a as number;\n",
    );
    expect(code).toMatch(/^import \{ a \} from '\.\/a\.js';/u);
    expect(code).not.toContain('b.ts');
    expect(code).toMatch(/export const c\s+= a\s+;/u);
    expect(imports).toEqual(['a.js']);
    expect(() => toBrowserModule('x.ts', "import { forms } from '../../schema/form-registry.ts';\n")).toThrow(
      /may import only/u,
    );
  });

  it('every page script exists, and a page lists all its modules for preloading', () => {
    for (const page of pages) expect(assets.files.has(`${page.name}-page.js`), page.name).toBe(true);
    expect(assets.modulesOf('login-page')).toEqual(
      expect.arrayContaining(['login-page.js', 'api.js', 'boot.js', 'messages.js', 'dom.js', 'chrome.js']),
    );
    expect(assets.files.has('api-types.js')).toBe(false);
  });

  it('the login and upload pages load in at most 150 KB, compressed', () => {
    for (const name of ['login', 'upload'] as const) {
      const page = pages.find((p) => p.name === name)!;
      const html = renderShell({
        page,
        script: `${name}-page`,
        assets,
        boot: { lang: 'vi', page: name, user: null, csrf: null, quarters: [], forms: [] },
      });
      const bytes =
        brotliCompressSync(html).length +
        assets.files.get('styles.css')!.br.length +
        assets.modulesOf(`${name}-page`).reduce((t, m) => t + assets.files.get(m)!.br.length, 0);
      expect(bytes, name).toBeLessThanOrEqual(150 * 1024);
    }
  });

  it('what the server writes into a page cannot close its script element or inject markup', () => {
    const page = pages.find((p) => p.name === 'upload')!;
    const html = renderShell({
      page,
      script: 'upload-page',
      assets,
      boot: {
        lang: 'vi',
        page: 'upload',
        user: {
          username: '</script><script>alert(1)</script>',
          level: 'commune',
          code: '03156',
          scopeName: '<b>x</b>',
        },
        csrf: 'c',
        quarters: [],
        forms: [],
      },
    });
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('\\u003c/script>');
  });
});
