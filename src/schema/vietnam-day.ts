const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day an instant falls on in Vietnam (UTC+7), as an ISO date: which units are valid
 * "today" is a question about Vietnamese days, not the server's time zone (at 20:00 UTC on
 * 30 June 2025 it was already 1 July, the first day of the new units).
 */
export function vietnamDay(instant: Date): string {
  return format.format(instant);
}
