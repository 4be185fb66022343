import { z } from 'zod';

/** Job payloads carry ids only: Postgres holds everything else (SPEC §4.1). */
export const normalizeJob = z.object({ submissionId: z.number().int().positive() });
export type NormalizeJob = z.infer<typeof normalizeJob>;

export const rollupJob = z.object({ provinceCode: z.string().regex(/^\d{2}$/), period: z.string().min(4) });
export type RollupJob = z.infer<typeof rollupJob>;
