import { calendarOf } from '../schema/form-calendar.ts';
import type { Db } from '../db/connect.ts';
import type { FormCatalog } from '../forms/form-catalog.ts';
import { issue } from '../schema/issue.ts';
import type { RawMeta, ReadLimits } from '../schema/raw-table.ts';
import { scopeCovers, type Principal } from '../schema/scope.ts';
import { communeCheckOf, type CommuneCheck } from '../units/commune-check.ts';
import { communeAt, successorsAt } from '../units/lookup.ts';
import { fingerprint } from './fingerprint.ts';
import { matchHeaders } from './match-headers.ts';
import type { Outcome } from './outcome.ts';
import { readTable } from './read/read-rows.ts';
import { resolveMeta } from './meta/resolve-meta.ts';
import { validateRows } from './validate.ts';

export type Report = {
  readonly bytes: Buffer;
  readonly filename: string | null;
  readonly given: RawMeta;
  readonly principal: Pick<Principal, 'level' | 'code'>;
};

/**
 * Everything the worker decides about a report's content, reading units but writing nothing:
 * decode → read rows → resolve form (the version serving the period), commune and period → match
 * headers → coerce and validate.
 * The dry run (POST /v1/validate) is this function alone. `today` (an ISO date) says which units
 * are current, so that a token of today's unit covers the units merged into it (SPEC §5).
 * `check` answers the commune lookups; a batch of jobs passes one that asks for all of them at once.
 */
export async function evaluateReport(
  { db, forms }: { readonly db: Db; readonly forms: FormCatalog },
  report: Report,
  limits: ReadLimits,
  today: string,
  check: CommuneCheck = communeCheckOf(db, today),
): Promise<Outcome> {
  const read = await readTable(report.bytes, { filename: report.filename ?? undefined, limits });
  if ('issues' in read) return { kind: 'rejected', issues: read.issues, meta: {} };
  const { table } = read;

  const resolved = resolveMeta(forms, report.given, table.meta, table.headers, report.principal);
  if ('issues' in resolved) {
    // A header-only file carries no row to read its commune and period from: say that too.
    const issues = table.rowCount === 0 ? [...resolved.issues, issue('NO_ROWS')] : resolved.issues;
    return { kind: 'rejected', issues, meta: {} };
  }
  const { form, communeCode, period } = resolved.meta;
  const meta = { form: form.code, communeCode, period: period.canonical };
  // A report is filed under the commune it names only once that commune is known to be in its
  // sender's scope (the issue names it either way): filed under a code of another scope, or of
  // another era, it would show in that commune's history and its bytes be served there.
  const unfiled = { form: form.code, period: period.canonical };

  const facts = await check(communeCode, period.lastDay);
  if (!facts) {
    const successors = await successorsAt(db, communeCode, period.lastDay);
    const problem =
      successors.length > 0
        ? issue(
            'META_COMMUNE_RETIRED',
            { value: communeCode },
            { period: period.canonical, successors: successors.map((s) => `${s.code} ${s.name}`).join(', ') },
          )
        : issue('META_COMMUNE_UNKNOWN', { value: communeCode }, { period: period.canonical });
    return { kind: 'rejected', issues: [problem], meta: unfiled };
  }
  if (!scopeCovers(report.principal, facts.target)) {
    const own =
      report.principal.level === 'commune' && report.principal.code
        ? await communeAt(db, report.principal.code, today)
        : null;
    const named: Record<string, string> = own ? { valueName: facts.unit.name, own: own.code, ownName: own.name } : {};
    return { kind: 'rejected', issues: [issue('META_FORBIDDEN', { value: communeCode }, named)], meta: unfiled };
  }

  const matched = matchHeaders(form, table.headers, table.columnLabels);
  if ('issues' in matched) return { kind: 'rejected', issues: matched.issues, meta };
  const validated = await validateRows(form, table, matched.map, limits.maxCellChars, limits.maxIssues);
  if ('issues' in validated) return { kind: 'rejected', issues: validated.issues, meta };

  return {
    kind: 'valid',
    form: form.code,
    calendar: calendarOf(form),
    communeCode,
    period: period.canonical,
    periodEnd: period.lastDay,
    provinceCode: facts.unit.province_code,
    districtCode: facts.unit.district_code,
    rows: validated.rows,
    fingerprint: fingerprint(form.code, validated.rows),
  };
}
