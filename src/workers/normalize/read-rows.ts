// Placeholder reader (plain UTF-8 comma CSV and JSON) until the full readers land from branch `parse`.
import { parse } from 'csv-parse/sync';
import { issue, type Issue } from '../../schema/issue.ts';
import type { RawCell, RawMeta, RawTable, ReadLimits } from '../../schema/raw-table.ts';
import { foldLabel } from '../../schema/text.ts';

const metaKeys: Record<string, keyof RawMeta> = { form: 'form', commune: 'commune', period: 'period' };

export async function readTable(bytes: Buffer, opts: { filename?: string; limits: ReadLimits }): Promise<{ table: RawTable } | { issues: Issue[] }> {
  if (bytes.length === 0) return { issues: [issue('FILE_EMPTY')] };
  const text = bytes.toString('utf8').replace(/^\uFEFF/u, '');
  const trimmed = text.trimStart();
  let records: RawCell[][];
  let format: RawTable['format'] = 'csv';
  try {
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      format = 'json';
      const parsed = JSON.parse(text) as Record<string, RawCell>[] | { rows: Record<string, RawCell>[]; form?: string; commune?: string; period?: string };
      const arr: Record<string, RawCell>[] = Array.isArray(parsed) ? parsed : parsed.rows.map((r) => ({ form: parsed.form ?? null, commune: parsed.commune ?? null, period: parsed.period ?? null, ...r }));
      const keys = [...new Set(arr.flatMap((o) => Object.keys(o)))];
      records = [keys, ...arr.map((o) => keys.map((k) => o[k] ?? null))];
    } else {
      records = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    }
  } catch (error) {
    return { issues: [issue('FILE_CORRUPT', {}, { detail: (error as Error).message.slice(0, 80) })] };
  }
  const [header = [], ...data] = records;
  const meta: RawMeta = {};
  const keep: number[] = [];
  header.forEach((h, i) => {
    const m = metaKeys[foldLabel(String(h))];
    if (m) meta[m] = String(data[0]?.[i] ?? '');
    else keep.push(i);
  });
  const headers = keep.map((i) => String(header[i]));
  return {
    table: {
      format,
      meta,
      headers,
      columnLabels: headers,
      rows: data.map((cells, n) => ({ row: format === 'json' ? n + 1 : n + 2, cells: keep.map((i) => cells[i] ?? null) })),
    },
  };
}
