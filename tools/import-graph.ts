// The import graph of src/ by folder, checked against tools/layers.json. Prints the folder-to-folder
// edges (with how many imports make each) and every forbidden import; exits 1 when there is one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Rules = { core: string[]; serviceLibraries: string[]; forbidden: { from: string; to: string; why: string }[] };
export type Violation = { file: string; imports: string; why: string };

const root = path.resolve(import.meta.dirname, '..');
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gu;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'client' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder of src/ a file is in: `report` for src/report/read/x.ts, the file's own name for src/main.ts. */
const folderOf = (file: string) =>
  path.relative(path.join(root, 'src'), file).split(path.sep)[0]!.replace(/\.ts$/u, '');

export function importGraph(rules: Rules = JSON.parse(readFileSync(path.join(root, 'tools/layers.json'), 'utf8'))) {
  const edges = new Map<string, number>();
  const violations: Violation[] = [];
  const groupsOf = (folder: string) => (rules.core.includes(folder) ? [folder, 'core'] : [folder]);
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const from = folderOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const spec = (m[1] ?? m[2])!;
      const rel = path.relative(root, file);
      if (!spec.startsWith('.')) {
        if (
          rules.core.includes(from) &&
          rules.serviceLibraries.some((lib) => spec === lib || spec.startsWith(lib.endsWith('/') ? lib : `${lib}/`))
        ) {
          violations.push({ file: rel, imports: spec, why: 'the core stands on no service library' });
        }
        continue;
      }
      const to = folderOf(path.resolve(path.dirname(file), spec));
      if (to === from) continue;
      edges.set(`${from} → ${to}`, (edges.get(`${from} → ${to}`) ?? 0) + 1);
      for (const rule of rules.forbidden) {
        if (groupsOf(from).includes(rule.from) && groupsOf(to).includes(rule.to))
          violations.push({ file: rel, imports: spec, why: rule.why });
      }
    }
  }
  return { edges: [...edges].sort(([a], [b]) => a.localeCompare(b)), violations };
}

if (import.meta.main) {
  const { edges, violations } = importGraph();
  for (const [edge, count] of edges) console.log(`${edge.padEnd(28)} ${count}`);
  for (const v of violations) console.error(`forbidden: ${v.file} imports ${v.imports} (${v.why})`);
  console.log(violations.length === 0 ? 'no forbidden import' : `${violations.length} forbidden import(s)`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
