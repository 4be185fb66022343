const format = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar day an instant falls on in Vietnam (UTC+7), as an ISO date: which units are valid
 * "today" is a question about Vietnamese days, not the server's time zone (at 20:00 UTC on
 * 30 June 2025 it was already 1 July, the first day of the new units).
 */
export function vietnamDay(instant: Date): string {
  return format.format(instant);
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a person in Vietnam reads it in a message: `2025-04-30 16:05 (UTC+7)`. */
export function vietnamTime(instant: Date): string {
  return `${timeFormat.format(instant)} (UTC+7)`;
}
