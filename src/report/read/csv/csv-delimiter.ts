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
  // Counted in numbers and read by char code: this runs on every CSV's first lines.
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let blank = true;
  let quoted = false;
  const end = Math.min(text.length, sampleChars);
  for (let i = 0; i < end && lines.length < sampleLines; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) quoted = !quoted;
    if (quoted) continue;
    if (code === 0x0a || code === 0x0d) {
      if (!blank) lines.push({ ',': comma, ';': semicolon, '\t': tab });
      comma = semicolon = tab = 0;
      blank = true;
    } else if (code === 0x2c || code === 0x3b || code === 0x09) {
      if (code === 0x2c) comma += 1;
      else if (code === 0x3b) semicolon += 1;
      else tab += 1;
      blank = false;
    } else if (code < 0x80 ? code !== 0x20 && (code < 0x09 || code > 0x0d) : text.charAt(i).trim() !== '') {
      blank = false;
    }
  }
  if (!blank && lines.length < sampleLines) lines.push({ ',': comma, ';': semicolon, '\t': tab });
  return lines;
}
