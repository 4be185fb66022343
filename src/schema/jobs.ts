import { z } from 'zod';

/**
 * Job payloads carry ids only: Postgres holds everything else (SPEC §4.1). A normalize job names
 * one submission, or a group of them (uploads stored together, a ZIP's files): one job per group
 * costs Redis and the worker a round trip per group rather than per file. Each submission is still
 * decided on its own, from its own state in Postgres.
 */
export const normalizeJob = z.union([
  z.object({ submissionId: z.number().int().positive() }),
  z.object({ submissionIds: z.array(z.number().int().positive()).min(1).max(1000) }),
]);
export type NormalizeJob = z.infer<typeof normalizeJob>;

/** The submissions a normalize job names. */
export const submissionsOf = (job: NormalizeJob): number[] =>
  'submissionIds' in job ? job.submissionIds : [job.submissionId];

export const rollupJob = z.object({ provinceCode: z.string().regex(/^\d{2}$/), period: z.string().min(4) });
export type RollupJob = z.infer<typeof rollupJob>;
