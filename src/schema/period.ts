/**
 * A reporting period: a month, a quarter, a half-year, the first nine months or a year, kept
 * canonically as `2023-06`, `2023-Q2`, `2023-H1`, `2023-9M` or `2023` (a form's `periodicity`).
 */
export type Period = {
  readonly canonical: string;
  readonly kind: 'month' | 'quarter' | 'half_year' | 'nine_months' | 'year';
  readonly year: number;
  /** First and last day, as ISO dates (`2023-04-01`, `2023-06-30`). */
  readonly firstDay: string;
  readonly lastDay: string;
};

const roman: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function quarter(year: number, q: number): Period | null {
  if (q < 1 || q > 4 || !validYear(year)) return null;
  const lastMonth = q * 3;
  return {
    canonical: `${year}-Q${q}`,
    kind: 'quarter',
    year,
    firstDay: iso(year, lastMonth - 2, 1),
    lastDay: iso(year, lastMonth, lastDayOfMonth(year, lastMonth)),
  };
}

function month(year: number, m: number): Period | null {
  if (m < 1 || m > 12 || !validYear(year)) return null;
  return {
    canonical: `${year}-${String(m).padStart(2, '0')}`,
    kind: 'month',
    year,
    firstDay: iso(year, m, 1),
    lastDay: iso(year, m, lastDayOfMonth(year, m)),
  };
}

function wholeYear(year: number): Period | null {
  if (!validYear(year)) return null;
  return { canonical: String(year), kind: 'year', year, firstDay: iso(year, 1, 1), lastDay: iso(year, 12, 31) };
}

/** The first or second half of a year (báo cáo 6 tháng). */
function halfYear(year: number, h: number): Period | null {
  if ((h !== 1 && h !== 2) || !validYear(year)) return null;
  return {
    canonical: `${year}-H${h}`,
    kind: 'half_year',
    year,
    firstDay: iso(year, h === 1 ? 1 : 7, 1),
    lastDay: iso(year, h === 1 ? 6 : 12, h === 1 ? 30 : 31),
  };
}

/** January to September (báo cáo 9 tháng). */
function nineMonths(year: number): Period | null {
  if (!validYear(year)) return null;
  return { canonical: `${year}-9M`, kind: 'nine_months', year, firstDay: iso(year, 1, 1), lastDay: iso(year, 9, 30) };
}

function validYear(year: number): boolean {
  return Number.isInteger(year) && year >= 1990 && year <= 2200;
}

/**
 * Reads every period spelling of SPEC §3: `2023-Q2`, `Q2/2023`, `Quý 2/2023`, `Quý II năm 2023`,
 * `2023-06`, `06/2023`, `Tháng 6/2023`, `2023`; and for half-year and nine-month forms `2023-H1`,
 * `H2/2023`, `6 tháng đầu năm 2023`, `2023-9M`, `9 tháng năm 2023`. Returns null for anything else.
 */
export function parsePeriod(raw: string): Period | null {
  const text = raw.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
  let m: RegExpMatchArray | null;
  if ((m = text.match(/^(\d{4})\s*-\s*q([1-4])$/u))) return quarter(Number(m[1]), Number(m[2]));
  if ((m = text.match(/^q([1-4])\s*[/-]\s*(\d{4})$/u))) return quarter(Number(m[2]), Number(m[1]));
  if ((m = text.match(/^(?:quý|quy)\s*(\d|i{1,3}|iv)\s*(?:\/|-|năm|nam)\s*(\d{4})$/u))) {
    const q = m[1]!;
    return quarter(Number(m[2]), roman[q] ?? Number(q));
  }
  if ((m = text.match(/^(\d{4})\s*-\s*(\d{1,2})$/u))) return month(Number(m[1]), Number(m[2]));
  if ((m = text.match(/^(\d{1,2})\s*\/\s*(\d{4})$/u))) return month(Number(m[2]), Number(m[1]));
  if ((m = text.match(/^(?:tháng|thang)\s*(\d{1,2})\s*(?:\/|-|năm|nam)\s*(\d{4})$/u)))
    return month(Number(m[2]), Number(m[1]));
  if ((m = text.match(/^(\d{4})\s*-\s*h([12])$/u))) return halfYear(Number(m[1]), Number(m[2]));
  if ((m = text.match(/^h([12])\s*[/-]\s*(\d{4})$/u))) return halfYear(Number(m[2]), Number(m[1]));
  if ((m = text.match(/^6 (?:tháng|thang) (đầu|dau|cuối|cuoi) (?:năm |nam )?(\d{4})$/u)))
    return halfYear(Number(m[2]), m[1]!.startsWith('đ') || m[1]!.startsWith('d') ? 1 : 2);
  if ((m = text.match(/^(\d{4})\s*-\s*9m$/u))) return nineMonths(Number(m[1]));
  if ((m = text.match(/^9 (?:tháng|thang) (?:(?:đầu|dau) )?(?:năm |nam )?(\d{4})$/u))) return nineMonths(Number(m[1]));
  if ((m = text.match(/^(?:năm |nam )?(\d{4})$/u))) return wholeYear(Number(m[1]));
  return null;
}
