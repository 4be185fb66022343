import { boot } from './boot.ts';

/** A unit as the approver page names it: "Xã Nậm Tin (03156)". */
export const unitText = (u: { code: string; name: string }) => `${u.name} (${u.code})`;

/** A rate the API gives in percent, with one decimal in the page's language; a dash for none. */
export const pct = (n: number | null) =>
  n === null
    ? '—'
    : `${n.toLocaleString(boot.lang === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
