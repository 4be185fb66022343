import { z } from 'zod';

/**
 * A form's reporting calendar (SPEC §7), as its definition's `calendar` key gives it. Every field
 * has a default, so a definition without `calendar` reports under Decree 09/2019/NĐ-CP's windows:
 * the data window closes on the 14th of the period's last month, the commune has two working days
 * after it (the decree asks for at least one) and the province three more to approve.
 */
export const formCalendarSchema = z
  .object({
    /** `decree09`: the window closes on the 14th of the period's last month; `calendar`: on its last day. @defaultValue 'decree09' */
    window: z.enum(['decree09', 'calendar']).default('decree09'),
    /** Working days after the window closes: the last day a commune report is on time. @defaultValue 2 */
    deadline_days: z.number().int().min(0).max(250).default(2),
    /** Working days after the commune deadline: the province's approval deadline. @defaultValue 3 */
    province_deadline_days: z.number().int().min(0).max(250).default(3),
    /** Calendar days after the commune deadline after which new versions are refused; 0 = never. @defaultValue 0 */
    expiry_days: z.number().int().min(0).max(3660).default(0),
    /** Periods not yet ended (their window not yet closed) that already accept reports. @defaultValue 0 */
    open_future_periods: z.number().int().min(0).max(24).default(0),
  })
  .strict();

export type FormCalendar = z.infer<typeof formCalendarSchema>;

/** The calendar of a form that says nothing of one. */
export const defaultCalendar: FormCalendar = formCalendarSchema.parse({});

/** The one way the pipeline reads a form's calendar: its own, or the Decree 09 defaults. */
export function calendarOf(form: { readonly calendar?: FormCalendar | undefined }): FormCalendar {
  return form.calendar ?? defaultCalendar;
}
