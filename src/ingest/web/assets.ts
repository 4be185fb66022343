import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One file the pages load, kept in memory with its compressed forms, made once at startup. */
export type Asset = { readonly type: string; readonly body: Buffer; readonly br: Buffer; readonly gzip: Buffer };

export type WebAssets = {
  /** A hash of every asset: in each URL, so a file can be cached for good and a new build is fetched anew. */
  readonly version: string;
  readonly files: ReadonlyMap<string, Asset>;
  /** The modules a page script loads, itself first, so the page can ask for all of them at once. */
  modulesOf(script: string): string[];
};

export const clientDir = new URL('./client/', import.meta.url);

/** An import or export statement's specifier: statements start a line, and nothing before `from` is quoted. */
const importStatement = /^((?:import|export)\b[^'"]*?\bfrom\s*|import\s*)(['"])([^'"]+)\2/gmu;

/**
 * Node's own type stripping, the one that runs our server sources. Node flags the function as
 * experimental and warns once per process; the warning would only alarm an operator, so it is
 * silenced for this call alone.
 */
function stripTypes(source: string): string {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).includes('stripTypeScriptTypes'))
      (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * A browser module from a client .ts file: types stripped, `./x.ts` imports turned to `./x.js`.
 * Browser code may import only its siblings (type imports from the server vanish with the types);
 * anything else is a mistake found here, at startup, not by an officer's browser.
 */
export function toBrowserModule(name: string, source: string): { code: string; imports: string[] } {
  const imports: string[] = [];
  const code = stripTypes(source).replace(importStatement, (_m, head: string, q: string, spec: string) => {
    const sibling = /^\.\/([\w-]+)\.ts$/u.exec(spec);
    if (!sibling) throw new Error(`web client ${name}: imports ${spec}; browser modules may import only ./sibling.ts`);
    imports.push(`${sibling[1]}.js`);
    return `${head}${q}./${sibling[1]}.js${q}`;
  });
  return { code, imports };
}

function compressed(type: string, body: Buffer): Asset {
  return {
    type,
    body,
    br: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    gzip: gzipSync(body, { level: 9 }),
  };
}

/** Builds the pages' assets from src/ingest/web/client: browser modules from the .ts files, and the stylesheet. */
export async function buildAssets(dir: URL = clientDir): Promise<WebAssets> {
  const names = (await readdir(dir)).sort();
  const files = new Map<string, Asset>();
  const graph = new Map<string, string[]>();
  const hash = createHash('sha256');
  for (const name of names) {
    const source = await readFile(new URL(name, dir), 'utf8');
    if (name.endsWith('.ts')) {
      const { code, imports } = toBrowserModule(name, source);
      // A file of types only (boot-data.ts, api-types.ts) leaves nothing for the browser.
      if (
        code
          .replace(/\/\*[\s\S]*?\*\//gu, '')
          .replace(/^\s*\/\/.*$/gmu, '')
          .trim() === ''
      )
        continue;
      const file = name.replace(/\.ts$/u, '.js');
      graph.set(file, imports);
      files.set(file, compressed('text/javascript; charset=utf-8', Buffer.from(code)));
      hash.update(file).update(code);
    } else if (name.endsWith('.css')) {
      files.set(name, compressed('text/css; charset=utf-8', Buffer.from(source)));
      hash.update(name).update(source);
    }
  }
  for (const [file, imports] of graph) {
    for (const i of imports)
      if (!graph.has(i)) throw new Error(`web client ${file}: imports ./${i}, which does not exist`);
  }
  return {
    version: hash.digest('hex').slice(0, 12),
    files,
    modulesOf(script) {
      const seen: string[] = [];
      const visit = (file: string) => {
        if (seen.includes(file)) return;
        seen.push(file);
        for (const i of graph.get(file) ?? []) visit(i);
      };
      visit(`${script}.js`);
      return seen;
    },
  };
}
