import { z } from 'zod';
import { unitLevels } from '../../schema/database.ts';
import { parsePeriod, type Period } from '../../schema/period.ts';
import { HttpError } from '../errors.ts';

/** A period as any spelling of SPEC §3, read into its canonical form. */
export const periodField = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const period = parsePeriod(raw);
    if (!period) {
      ctx.addIssue({ code: 'custom', message: `not a period: ${raw}` });
      return z.NEVER;
    }
    return period as Period;
  });

export const formField = z.string().trim().min(1).max(40).transform((s) => s.toUpperCase());
export const levelField = z.enum(unitLevels);
export const reasonField = z.string().trim().min(3).max(1000);

/** Parses a request's body or query with a schema: 400 listing every problem, as the other routes do. */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError('TONGHOP_ERR_BAD_REQUEST', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}
