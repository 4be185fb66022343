import type { Lang } from './messages.ts';

const roman = ['I', 'II', 'III', 'IV'];

/**
 * `2023-Q2` as an officer writes it: "Quý II/2023"; months, halves and years likewise. Free of the
 * DOM, so the server names periods in an export exactly as the page does.
 */
export function periodName(period: string, lang: Lang): string {
  let m = /^(\d{4})-Q([1-4])$/u.exec(period);
  if (m) return lang === 'vi' ? `Quý ${roman[Number(m[2]) - 1]}/${m[1]}` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/u.exec(period);
  if (m) return lang === 'vi' ? `Tháng ${Number(m[2])}/${m[1]}` : `${m[1]}-${m[2]}`;
  m = /^(\d{4})-H([12])$/u.exec(period);
  if (m) return lang === 'vi' ? `6 tháng ${m[2] === '1' ? 'đầu' : 'cuối'} năm ${m[1]}` : `H${m[2]} ${m[1]}`;
  m = /^(\d{4})-9M$/u.exec(period);
  if (m) return lang === 'vi' ? `9 tháng năm ${m[1]}` : `9 months ${m[1]}`;
  return lang === 'vi' && /^\d{4}$/u.test(period) ? `Năm ${period}` : period;
}
