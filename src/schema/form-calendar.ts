import { z } from 'zod';

/**
 * The reporting calendar of a form (SPEC §7), part of its definition (SPEC §6). Validated on
 * import; the reporting cycle reads it. Days are Asia/Ho_Chi_Minh days.
 */
export const formCalendarSchema = z
  .object({
    /** decree09: the data window closes on the 14th of the period's last month; calendar: on its last day. */
    window: z.enum(['decree09', 'calendar']).default('calendar'),
    /** Working days after the window closes: the commune's deadline. */
    deadline_days: z.number().int().min(0).max(366).default(0),
    /** Working days after the commune deadline: the province's approval deadline. */
    province_deadline_days: z.number().int().min(0).max(366).default(0),
    /** Days after the commune deadline after which new versions are refused; 0 = never. */
    expiry_days: z.number().int().min(0).max(3660).default(0),
    /** Periods not yet ended that already accept reports. */
    open_future_periods: z.number().int().min(0).max(24).default(0),
  })
  .strict();

export type FormCalendar = z.infer<typeof formCalendarSchema>;
