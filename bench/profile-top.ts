// Prints the functions with the most self time in each V8 CPU profile of a directory.
//   node bench/profile-top.ts DIR [N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number };
const dir = process.argv[2]!;
const top = Number(process.argv[3] ?? 15);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[] };
  const total = profile.samples.length;
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const where = n.callFrame.url.replace(/^.*node_modules\//u, '').replace(/^file:\/\/.*\/(src|bench)\//u, '$1/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n.hitCount);
  }
  const idle = [...self.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  console.log(`\n${file}: ${total} samples, ${((1 - idle / total) * 100).toFixed(0)}% busy`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
