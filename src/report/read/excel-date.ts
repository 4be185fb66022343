/** Built-in number formats that show a date or a time (ECMA-376 §18.8.30, the same ids in BIFF8), as exceljs knows them. */
export const builtInDateFormats: ReadonlySet<number> = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** A number format code shows a date when, out of quotes and brackets, it has one of `y m d h M s b` (exceljs's rule). */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/u.test(code.replace(/\[[^\]]*\]/gu, '').replace(/"[^"]*"/gu, ''));
}

/** A date serial as exceljs reads it (that date and time in UTC), as ISO text: `2023-06-30`, or `2023-06-30 10:30:00` with a time. */
export function serialDateText(serial: number, date1904: boolean): string {
  return isoText(new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000)));
}

/** A date as the spreadsheet readers give it: the day alone at midnight, else day and time to the second. */
export function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}
