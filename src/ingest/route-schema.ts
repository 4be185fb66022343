import type { FastifyInstance, FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unitLevels } from '../schema/database.ts';
import { bilingual, type Bilingual } from '../schema/issue.ts';
import { parsePeriod, type Period } from '../schema/period.ts';
import { httpErrors, type HttpErrorCode } from './errors.ts';

/**
 * What route schemas are made of (fastify-type-provider-zod, app.ts): a route declares its
 * querystring, params and body with zod once, and gets from it the check (400 listing every
 * problem, errors.ts), the handler's types and its part of the OpenAPI document at /docs.
 */

/** Makes a Fastify instance read route schemas as zod: requests checked, answers checked as they are sent. */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

declare module 'fastify' {
  interface FastifySchema {
    /**
     * A body the handler reads itself, by content type (a multipart stream, a form definition in
     * JSON or YAML): described in /docs, never checked by Fastify, which would have to buffer it.
     */
    readBody?: Record<string, z.ZodType>;
  }
}

/** The codes of errors.ts; in /docs once, as a component (an `id`) every refusal refers to. */
export const errorCodeSchema = z
  .enum(Object.keys(httpErrors) as [HttpErrorCode, ...HttpErrorCode[]])
  .meta({ id: 'ErrorCode' });

/** The body of every refusal (errorBody in errors.ts). */
export const errorBodySchema = z
  .object({ error: z.object({ code: errorCodeSchema, message: bilingual, details: z.unknown().optional() }) })
  .meta({ id: 'Error' });

/** A JSON answer, described in /docs and checked against its schema when sent. */
export const jsonAnswer = (description: string, schema: z.ZodType = z.unknown()) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A refusal with this status: what the route says about it in /docs. */
export const refused = (why: string) => jsonAnswer(why, errorBodySchema);

/** What every route behind a token or session may answer (auth.ts, rate-limit.ts). */
export const guarded = {
  401: refused('no valid token or session'),
  429: refused('over the caller’s request or byte budget for the window (Retry-After)'),
};

/** What every request with a body may also answer (the body's limits are read before the route). */
export const withBody = {
  ...guarded,
  411: refused('no Content-Length'),
  413: refused('the request or a file is larger than the limits allow'),
};

export const badRequest = { 400: refused('a field is missing or not valid (details: each problem with its path)') };

/**
 * The language zod's messages are made in: English when Fastify checks a request, Vietnamese
 * while the refusal is said again in it (`bilingualDetails`). Parsing is synchronous, so nothing
 * else runs in between.
 */
let messageLanguage: keyof Bilingual = 'en';

/** A message of our own in a route schema, in the language it is being made in. */
export const inLanguage = (message: Bilingual): string => message[messageLanguage];

/** A problem with a request field: where, and what, in Vietnamese and English (the body of a 400's `details`). */
export type FieldProblem = { readonly path: string; readonly message: Bilingual };

const vietnameseMessages = z.locales.vi().localeError;

/**
 * Each problem of a request its route schema refused, in both languages: the English Fastify was
 * given, and the same problems found again by parsing the same part of the request with zod's
 * Vietnamese messages (ours are made in either: `inLanguage`). The same schema and data give the
 * same problems in the same order; where one is missing, the English stands in.
 */
export function bilingualDetails(
  validation: readonly { instancePath: string; message?: string }[],
  context: string | undefined,
  request: FastifyRequest,
): FieldProblem[] {
  const parts: Record<string, unknown> = {
    body: request.body,
    querystring: request.query,
    params: request.params,
    headers: request.headers,
  };
  const schema = context ? (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context] : undefined;
  let vietnamese: string[] = [];
  if (schema instanceof z.ZodType && context !== undefined && context in parts) {
    messageLanguage = 'vi';
    try {
      const again = schema.safeParse(parts[context], { error: vietnameseMessages });
      vietnamese = again.success ? [] : again.error.issues.map((issue) => issue.message);
    } finally {
      messageLanguage = 'en';
    }
  }
  return validation.map((v, i) => {
    const en = v.message ?? '';
    return { path: v.instancePath.slice(1).replaceAll('/', '.'), message: { vi: vietnamese[i] ?? en, en } };
  });
}

/** A period as any spelling of SPEC §3, read into its canonical form. */
export const periodField = z
  .string()
  .max(40)
  .meta({ examples: ['2023-Q2', 'Quý II/2023', '2023-06', '2023'] })
  .transform((raw, ctx) => {
    const period = parsePeriod(raw);
    if (!period) {
      ctx.addIssue({
        code: 'custom',
        message: inLanguage({ vi: `không phải một kỳ báo cáo: ${raw}`, en: `not a period: ${raw}` }),
      });
      return z.NEVER;
    }
    return period as Period;
  });

export const formField = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((s) => s.toUpperCase());
export const levelField = z.enum(unitLevels);
export const reasonField = z.string().trim().min(3).max(1000);
export const communeField = z.string().regex(/^\d{5}$/u);
export const provinceField = z.string().regex(/^\d{2}$/u);
/** A commune (5 digits), district (3) or province (2) code. */
export const unitField = z.string().regex(/^\d{2,5}$/u);
/** ISO 8601: a day, or a day and a time with or without its offset (a time without one is the server's). */
const isoInstant = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/u;
const notAnInstant = {
  vi: 'không phải một thời điểm theo ISO 8601 (2025-07-01 hoặc 2025-07-01T10:00:00+07:00)',
  en: 'not an ISO 8601 instant (2025-07-01 or 2025-07-01T10:00:00+07:00)',
};

/**
 * An instant: the figures as they stood then. ISO 8601 only: `new Date` alone would take `1` as the
 * year 2001 and `Dec 6 2026` in the server's zone, and answer a typo with an empty table.
 */
export const instantField = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const at = isoInstant.test(text) ? new Date(text) : null;
    // A day that does not exist (2026-02-30) is no instant, where Date would roll it over into March.
    const day = text.slice(0, 10);
    const midnight = new Date(`${day}T00:00:00Z`);
    const real = !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
    if (at === null || Number.isNaN(at.getTime()) || !real) {
      ctx.addIssue({ code: 'custom', message: inLanguage(notAnInstant) });
      return z.NEVER;
    }
    return at;
  })
  .meta({ type: 'string', format: 'date-time' });

/**
 * A DELETE's fields may come as a query when a client or proxy drops a DELETE's body: read them as
 * the body (a route's `preValidation`), so one schema checks either.
 */
export async function bodyFromQuery(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = request.query;
}
