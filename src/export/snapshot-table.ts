import type { CellKind, CsvLocale, LocaleColumn } from './csv.ts';
import type { SheetColumn } from './xlsx.ts';

export type TableLang = 'vi' | 'en';

/** What a table made for people needs to know that a snapshot row does not carry. */
export type TableNames = {
  readonly lang: TableLang;
  /** An indicator's name in the form definitions, and whether it is a rate (shown as a percentage). */
  indicator(code: string): { name: string; rate: boolean } | undefined;
  /** `2023-Q2` as the page writes it: `Quý II/2023`. */
  period(period: string): string;
};

type Column = { key: string; vi: string; en: string; kind: CellKind; numFmt?: string };

/** The columns of the analyst page's tables, in the order a person reads them: where, when, what, the figure, what it stands on. */
const columns: readonly Column[] = [
  { key: 'level', vi: 'Cấp', en: 'Level', kind: 'text' },
  { key: 'unit_code', vi: 'Mã đơn vị', en: 'Unit code', kind: 'code' },
  { key: 'unit_name', vi: 'Tên đơn vị', en: 'Unit', kind: 'text' },
  { key: 'period', vi: 'Kỳ báo cáo', en: 'Period', kind: 'text' },
  { key: 'indicator', vi: 'Chỉ tiêu', en: 'Indicator', kind: 'text' },
  { key: 'value', vi: 'Giá trị', en: 'Value', kind: 'number' },
  { key: 'measure', vi: 'Đơn vị tính', en: 'Unit of measure', kind: 'text' },
  { key: 'numerator', vi: 'Tử số', en: 'Numerator', kind: 'number' },
  { key: 'denominator', vi: 'Mẫu số', en: 'Denominator', kind: 'number' },
  { key: 'communes_reporting', vi: 'Số xã đã nộp', en: 'Communes reported', kind: 'number' },
  { key: 'communes_expected', vi: 'Số xã phải nộp', en: 'Communes expected', kind: 'number' },
  {
    key: 'computed_at',
    vi: 'Tính lúc (giờ Việt Nam)',
    en: 'Computed at (Vietnam time)',
    kind: 'text',
    numFmt: 'dd/mm/yyyy hh:mm',
  },
];

const levelNames: Record<string, Record<TableLang, string>> = {
  province: { vi: 'Tỉnh', en: 'Province' },
  district: { vi: 'Huyện', en: 'District' },
  commune: { vi: 'Xã', en: 'Commune' },
};

/** Each language's spreadsheet conventions: Vietnamese Excel splits on `;` and writes `53,7`. */
export const csvLocaleOf: Record<TableLang, CsvLocale> = {
  vi: { separator: ';', decimal: ',' },
  en: { separator: ',', decimal: '.' },
};

export const tableCsvColumns = (lang: TableLang): LocaleColumn[] =>
  columns.map((c) => ({ key: c.key, header: c[lang], kind: c.kind }));
export const tableSheetColumns = (lang: TableLang): SheetColumn[] =>
  columns.map((c) => ({ key: c.key, header: c[lang], numFmt: c.numFmt }));

const vietnamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant's wall-clock time in Vietnam: written day first in Vietnamese, ISO order in English (which no Excel misreads). */
export function vietnamClock(instant: Date, lang: TableLang): string {
  const p = Object.fromEntries(vietnamParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return lang === 'vi'
    ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`
    : `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Vietnam's offset: a spreadsheet date has no time zone, so the sheet holds the wall-clock time. */
const vietnamOffsetMs = 7 * 3_600_000;

/**
 * A snapshot row as the analyst page shows it: the level and indicator by name, the period as
 * written in Vietnam, a rate as a percentage rounded to one decimal beside its exact numerator and
 * denominator, the time in Vietnam. `sheet` keeps the time a date (XLSX); otherwise it is text (CSV).
 */
export function snapshotTableRow(
  row: Record<string, unknown>,
  names: TableNames,
  sheet = false,
): Record<string, unknown> {
  const code = String(row.indicator);
  const indicator = names.indicator(code);
  const value =
    typeof row.value === 'number'
      ? row.value
      : row.value === null || row.value === undefined
        ? null
        : Number(row.value);
  const computed =
    row.computed_at instanceof Date ? row.computed_at : row.computed_at ? new Date(String(row.computed_at)) : null;
  return {
    level: levelNames[String(row.level)]?.[names.lang] ?? row.level,
    unit_code: row.unit_code,
    unit_name: row.unit_name,
    period: names.period(String(row.period)),
    indicator: indicator?.name ?? code,
    value: value === null ? null : indicator?.rate ? Math.round(value * 1000) / 10 : value,
    measure: indicator?.rate ? '%' : null,
    numerator: row.numerator,
    denominator: row.denominator,
    communes_reporting: row.communes_reporting ?? row.predecessors_reporting,
    communes_expected: row.communes_expected ?? row.predecessors_expected,
    computed_at:
      computed === null
        ? null
        : sheet
          ? new Date(computed.getTime() + vietnamOffsetMs)
          : vietnamClock(computed, names.lang),
  };
}

/** Words of a file name without marks, for the plain `filename=` that old clients read: `Quý II` → `Quy-II`. */
function asciiWord(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replaceAll('đ', 'd')
    .replaceAll('Đ', 'D')
    .replace(/[^A-Za-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

/** The unit's own name without the word for its level, as a person names the place: `Tỉnh Điện Biên` → `Điện Biên`. */
export function placeName(name: string): string {
  return name.replace(/^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn)\s+/u, '');
}

/**
 * The Content-Disposition of an export named for what it holds, `tonghop-Điện-Biên-Quý-II-2023-…`:
 * a plain ASCII `filename` and the Vietnamese one as `filename*` (RFC 6266), which browsers prefer.
 */
export function exportDisposition(parts: readonly (string | null | undefined)[], extension: string): string {
  const words = ['tonghop', ...parts.filter((p): p is string => Boolean(p))];
  const utf8 = words.map((w) => w.trim().replace(/[\s/\\:*?"<>|;,]+/gu, '-')).join('-');
  const ascii = words.map(asciiWord).filter(Boolean).join('-');
  return (
    `attachment; filename="${ascii}.${extension}"; ` +
    `filename*=UTF-8''${encodeURIComponent(`${utf8}.${extension}`).replace(/['()*!]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
  );
}
