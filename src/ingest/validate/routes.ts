import type { FastifyInstance } from 'fastify';
import { readLimits, type Deps } from '../../deps.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { evaluateReport } from '../../report/evaluate.ts';
import { unitNames } from '../../units/lookup.ts';
import { requireCommuneAccess, requirePrincipal } from '../auth.ts';
import { admitFiles, canonicalGiven, checkFileKind, nothingAdmitted, readUpload } from '../submissions/upload.ts';
import { keepChecked } from '../submissions/checked-files.ts';
import { httpErrors } from '../errors.ts';

/**
 * `POST /v1/validate`: "check before sending". The same multipart as POST /v1/submissions, judged
 * by the worker's own evaluateReport, and nothing stored: the officer sees every problem first.
 */
export function validateRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.post('/v1/validate', async (request) => {
      const principal = await requirePrincipal(deps.db, request, 'submit');
      const upload = await readUpload(request, deps.config);
      // A form imported a moment ago through another process: look again before calling it unknown.
      if (upload.given.form !== undefined && !deps.forms.find(upload.given.form)) await deps.forms.refresh();
      const given = canonicalGiven(deps.forms, upload.given);
      const today = vietnamDay(deps.now());
      if (given.commune) await requireCommuneAccess(deps.db, principal, given.commune, today);
      const admitted = await admitFiles(upload, deps.config);
      if (admitted.files.length === 0) throw nothingAdmitted(admitted);

      const results = [];
      for (const file of admitted.files) {
        const outcome = await evaluateReport(deps, { bytes: file.bytes, filename: file.filename, given, principal }, readLimits(deps.config), today);
        const named = { filename: file.filename, ...(file.archive ? { archive: file.archive } : {}) };
        results.push(
          outcome.kind === 'valid'
            ? { ...named, valid: true, form: outcome.form, commune: outcome.communeCode, period: outcome.period, rows: outcome.rows.length, issues: [] }
            : { ...named, valid: false, form: outcome.meta.form ?? null, commune: outcome.meta.communeCode ?? null, period: outcome.meta.period ?? null, rows: null, issues: outcome.issues },
        );
      }
      // The pages name each commune rather than show its code.
      const names = await unitNames(deps.db, 'commune', results.flatMap((r) => (r.commune ? [r.commune] : [])));
      // A file with something valid in it is kept a short while, so that "send this file" need not upload it again: as sent, an archive whole.
      const checked = results.some((r) => r.valid) ? await keepChecked(deps.db, deps.config, principal, upload.files.filter((f) => !(checkFileKind(f) in httpErrors)), deps.now()) : [];
      return { results: results.map((r) => ({ ...r, commune_name: r.commune ? (names.get(r.commune) ?? null) : null })), refused: admitted.refused, checked };
    });
  };
}
