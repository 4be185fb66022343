/** The separators SPEC §3 names, in the order a tie is settled. */
const candidates = [',', ';', '\t'] as const;

export type CsvDelimiter = (typeof candidates)[number];

/** Lines, and characters, looked at: enough to see which separator is used consistently. */
const sampleLines = 20;
const sampleChars = 1 << 20;

/**
 * The separator of a CSV text: the one that splits the first lines into the same number of fields
 * as the header, then the one that splits the header most. Counting is quote-aware, so a header
 * `"Số cán bộ, công chức"` in a comma file, or unquoted in a semicolon file, does not mislead.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = countPerLine(text);
  const header = lines[0];
  if (header === undefined) return ',';
  let best: CsvDelimiter = ',';
  let bestRank = [-1, -1];
  for (const candidate of candidates) {
    const fields = header[candidate];
    const consistent = fields === 0 ? 0 : lines.filter((line) => line[candidate] === fields).length;
    const rank = [consistent, fields];
    if (rank[0]! > bestRank[0]! || (rank[0] === bestRank[0] && rank[1]! > bestRank[1]!)) {
      best = candidate;
      bestRank = rank;
    }
  }
  return best;
}

type Counts = Record<CsvDelimiter, number>;

/** Separators outside quotes on each of the first lines that hold anything, separators included. */
function countPerLine(text: string): Counts[] {
  const lines: Counts[] = [];
  let counts: Counts = { ',': 0, ';': 0, '\t': 0 };
  let blank = true;
  let quoted = false;
  for (let i = 0; i < Math.min(text.length, sampleChars) && lines.length < sampleLines; i++) {
    const char = text.charAt(i);
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === '\n' || char === '\r') {
      if (!blank) lines.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
      blank = true;
    } else if (char === ',' || char === ';' || char === '\t') {
      counts[char] += 1;
      blank = false;
    } else if (char.trim() !== '') {
      blank = false;
    }
  }
  if (!blank && lines.length < sampleLines) lines.push(counts);
  return lines;
}
