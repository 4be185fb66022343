import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readLimits, type Deps } from '../../deps.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { evaluateReport } from '../../report/evaluate.ts';
import { unitNames } from '../../units/lookup.ts';
import { judgeReports } from '../../quality/judge-reports.ts';
import { periodRefusalAt } from '../../cycle/period-rules.ts';
import { requireCommuneAccess, requirePrincipal } from '../auth.ts';
import { issueSchema } from '../../schema/issue.ts';
import { jsonAnswer, refused, withBody } from '../route-schema.ts';
import {
  canonicalGiven,
  checkFileKind,
  eachAdmitted,
  inArchiveTurn,
  nothingAdmitted,
  withUpload,
  refusalSchema,
  uploadFields,
  uploadUnsupported,
} from '../submissions/upload.ts';
import { keepChecked } from '../submissions/checked-files.ts';
import type { UploadedFile } from '../submissions/store.ts';
import { httpErrors } from '../errors.ts';
import { ClientLeft, clientLeft } from '../client-left.ts';

/**
 * `POST /v1/validate`: "check before sending". The same multipart as POST /v1/submissions, judged
 * by the worker's own evaluateReport, and nothing stored: the officer sees every problem first, and
 * the data-quality warnings the worker would attach, judged against the commune's stored history.
 */
export function validateRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const result = z.looseObject({
      filename: z.string().nullable(),
      archive: z.string().optional(),
      valid: z.boolean(),
      issues: z.array(issueSchema),
      warnings: z.array(issueSchema),
    });
    const schema = {
      operationId: 'validateReports',
      summary:
        'Check before sending: the same multipart as POST /v1/submissions, judged, no submission stored; a file ' +
        'with something valid is kept a short while to be sent by its check id',
      readBody: { 'multipart/form-data': uploadFields },
      response: {
        200: jsonAnswer(
          'per file (a ZIP archive’s files one by one): valid, form, commune (and its name), period, rows, ' +
            'issues, and the data-quality warnings judged against the commune’s stored history (never making a ' +
            'file invalid); the files not taken, by name; the files kept to be sent by `check` until expires_at',
          z.object({
            results: z.array(result),
            refused: z.array(refusalSchema),
            checked: z.array(z.object({ filename: z.string().nullable(), check: z.string(), expires_at: z.string() })),
          }),
        ),
        ...withBody,
        400: refused(
          'no file, a request field is wrong, too many fields, a malformed multipart body, a damaged archive',
        ),
        403: refused('not this principal’s commune, or a session write without its CSRF token'),
        415: refused(uploadUnsupported),
      },
    };
    app.post('/v1/validate', { schema }, async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'submit');
      return withUpload(request, deps.config, async (upload) => {
        // A form imported a moment ago through another process: look again before calling it unknown.
        if (upload.given.form !== undefined && !deps.forms.find(upload.given.form)) await deps.forms.refresh();
        const given = canonicalGiven(deps.forms, upload.given);
        const today = vietnamDay(deps.now());
        if (given.commune) await requireCommuneAccess(deps.db, principal, given.commune, today);

        /** A file's verdict, as the worker would judge it now. */
        const judge = async (file: UploadedFile) => {
          const outcome = await evaluateReport(
            deps,
            { bytes: file.bytes, filename: file.filename, given, principal },
            readLimits(deps.config),
            today,
          );
          const named = { filename: file.filename, ...(file.archive ? { archive: file.archive } : {}) };
          // Warnings never make a file invalid: the officer sees them, with the commune's history, before sending (SPEC §8).
          const warnings =
            outcome.kind === 'valid' && deps.config.QUALITY_WARNINGS
              ? (await judgeReports(deps.db, deps.forms, [outcome]))[0]!.map((w) => w.issue)
              : [];
          // A valid report its period would refuse now (SPEC §7: not open, expired, locked, approved) is said so before it is sent.
          const refusal = outcome.kind === 'valid' ? await periodRefusalAt(deps.db, outcome, deps.now()) : null;
          return outcome.kind === 'valid' && refusal
            ? {
                ...named,
                valid: false,
                form: outcome.form,
                commune: outcome.communeCode,
                period: outcome.period,
                rows: null,
                issues: [refusal],
                warnings,
              }
            : outcome.kind === 'valid'
              ? {
                  ...named,
                  valid: true,
                  form: outcome.form,
                  commune: outcome.communeCode,
                  period: outcome.period,
                  rows: outcome.rows.length,
                  issues: [],
                  warnings,
                }
              : {
                  ...named,
                  valid: false,
                  form: outcome.meta.form ?? null,
                  commune: outcome.meta.communeCode ?? null,
                  period: outcome.meta.period ?? null,
                  rows: null,
                  issues: outcome.issues,
                  warnings,
                };
        };
        // Each file judged as it is taken and let go: an archive's files are read from the spool one at a time, in its turn.
        const results: Awaited<ReturnType<typeof judge>>[] = [];
        // A client that has gone is answered by no one: the files it sent are judged no further, and the turn passes on.
        const admitted = await inArchiveTurn(upload, () =>
          eachAdmitted(upload, deps.config, async (file) => {
            if (clientLeft(request)) {
              request.log.info({ judged: results.length }, 'validate stopped: the client went away');
              throw new ClientLeft(results.length);
            }
            results.push(await judge(file));
          }),
        );
        if (admitted.taken === 0) throw nothingAdmitted(admitted);
        // The pages name each commune rather than show its code.
        const names = await unitNames(
          deps.db,
          'commune',
          results.flatMap((r) => (r.commune ? [r.commune] : [])),
        );
        // A file with something valid in it is kept a short while, so that "send this file" need not upload it again: as sent, an archive whole.
        const checked = results.some((r) => r.valid)
          ? await keepChecked(
              deps.db,
              deps.config,
              principal,
              upload.files.filter((f) => 'path' in f || !(checkFileKind(f) in httpErrors)),
              deps.now(),
            )
          : [];
        return {
          results: results.map((r) => ({ ...r, commune_name: r.commune ? (names.get(r.commune) ?? null) : null })),
          refused: admitted.refused,
          checked,
        };
      });
    });
  };
  return routes;
}
