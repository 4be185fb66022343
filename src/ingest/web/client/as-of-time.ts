const vietnamClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The as-of instant as two plain text fields, day/month/year and hours:minutes in Vietnam time:
 * a datetime-local input follows the browser's locale (`12/06/2026, 09:30 AM` for 6 December in
 * an American Chromium), which a Vietnamese analyst reads as 12 June.
 */
export function asOfFields(iso: string | null): { date: string; time: string } {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return { date: '', time: '' };
  const p = Object.fromEntries(vietnamClock.formatToParts(d).map((x) => [x.type, x.value]));
  return { date: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

export const datePattern = String.raw`(\d{1,2})/(\d{1,2})/(\d{4})`;
export const timePattern = String.raw`([01]?\d|2[0-3]):([0-5]\d)`;

/** The instant the fields name, in Vietnam (UTC+7, no daylight saving); null for a day that does not exist. */
export function asOfInstant(date: string, time: string): string | null {
  const d = new RegExp(`^${datePattern}$`, 'u').exec(date.trim());
  const t = new RegExp(`^${timePattern}$`, 'u').exec(time.trim() || '23:59');
  if (!d || !t) return null;
  const [day, month, year] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const utc = Date.UTC(year, month - 1, day, Number(t[1]) - 7, Number(t[2]));
  const check = new Date(utc + 7 * 3_600_000);
  return check.getUTCDate() === day && check.getUTCMonth() === month - 1 ? new Date(utc).toISOString() : null;
}
