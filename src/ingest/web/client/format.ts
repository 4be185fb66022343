import { lang } from './boot.ts';
import { periodName } from './period-name.ts';

const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
// Sums of decimal fields (a form's `decimals`) keep their places; counts show none.
const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(locale, {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function fmtNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : number.format(n);
}

/** A figure: a rate as a percentage, a count as a whole number. */
export function fmtValue(value: number | null | undefined, rate: boolean): string {
  if (value === null || value === undefined) return '—';
  return rate ? percent.format(value) : number.format(value);
}

/** Day first and the time after it, as Vietnamese offices write it: 26/11/2026 08:30. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const part = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}

/** A day as Vietnamese offices write it: 16/06/2023 (from 2023-06-16). */
export function fmtDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

const megabytes = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A file size in the page's language: `1,5 MB` in Vietnamese, `1.5 MB` in English. */
export function fmtBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${integer.format(Math.ceil(n / 1024))} KB`
      : `${megabytes.format(n / 1024 / 1024)} MB`;
}

/** `2023-Q2` as an officer writes it: "Quý II/2023" (period-name.ts). */
export function fmtPeriod(period: string | null | undefined): string {
  return period ? periodName(period, lang) : '—';
}
