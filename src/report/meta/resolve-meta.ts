import type { FormCatalog } from '../../forms/form-catalog.ts';
import type { Periodicity } from '../../schema/form-definition.ts';
import type { Form } from '../../schema/form.ts';
import { issue, type Issue } from '../../schema/issue.ts';
import { parsePeriod, type Period } from '../../schema/period.ts';
import type { RawMeta } from '../../schema/raw-table.ts';
import type { Principal } from '../../schema/scope.ts';
import { fieldsNamed } from '../match-headers.ts';
import { metaNames } from './meta-names.ts';

export type ResolvedMeta = { form: Form; communeCode: string; period: Period };

/** Excel turns the code 03214 typed in a number cell into 3214; a commune code is 5 digits. */
export function normalizeCommuneCode(raw: string): string | null {
  const text = raw.trim();
  return /^\d{1,5}$/u.test(text) ? text.padStart(5, '0') : null;
}

function pick<T>(
  what: { vi: string; en: string },
  given: string | undefined,
  inFile: string | undefined,
  parse: (s: string) => T | null,
  same: (a: T, b: T) => boolean,
  issues: Issue[],
): { raw: string; value: T | null } | undefined {
  const g = given?.trim() ? given.trim() : undefined;
  const f = inFile?.trim() ? inFile.trim() : undefined;
  if (g !== undefined && f !== undefined) {
    const a = parse(g);
    const b = parse(f);
    if (a !== null && b !== null && !same(a, b)) {
      issues.push(issue('META_CONFLICT', { value: f }, { whatVi: what.vi, whatEn: what.en, file: f, given: g }));
    }
  }
  const raw = g ?? f;
  return raw === undefined ? undefined : { raw, value: parse(raw) };
}

/**
 * The form a file's headers point to: the one that names the most of its fields, when that is
 * more than any other form and at least half of its own — so a file missing a column is still
 * known as its form, and told which column is missing.
 */
export function inferForm(forms: readonly Form[], headers: readonly string[]): Form | undefined {
  const scored = forms.map((f) => ({ form: f, named: fieldsNamed(f, headers) })).sort((a, b) => b.named - a.named);
  const [best, next] = scored;
  if (!best || best.named * 2 < best.form.fields.length || (next && next.named === best.named)) return undefined;
  return best.form;
}

/**
 * Form, commune and period of a report: from the request fields, else from the file (SPEC §3);
 * a form given nowhere is inferred from the headers (inferForm); a commune
 * given nowhere is the uploader's own when the uploader is a commune.
 */
export function resolveMeta(
  forms: FormCatalog,
  given: RawMeta,
  file: RawMeta,
  headers: readonly string[],
  principal: Pick<Principal, 'level' | 'code'>,
): { meta: ResolvedMeta } | { issues: Issue[] } {
  const issues: Issue[] = [];

  // The period first: it says which version of the form serves the report.
  const periodIssues: Issue[] = [];
  const periodPick = pick(
    metaNames.period,
    given.period,
    file.period,
    parsePeriod,
    (a, b) => a.canonical === b.canonical,
    periodIssues,
  );
  const day = periodPick?.value?.lastDay;

  const formPick = pick(
    metaNames.form,
    given.form,
    file.form,
    (s) => (forms.find(s) ? s.trim().toUpperCase() : null),
    (a, b) => a === b,
    issues,
  );
  let form: Form | undefined;
  if (formPick === undefined) {
    const candidates = forms.list(day);
    form = inferForm(candidates, headers);
    if (!form) issues.push(issue('META_FORM_MISSING', {}, { forms: candidates.map((f) => f.code).join(', ') }));
  } else if (formPick.value === null) {
    issues.push(issue('META_FORM_UNKNOWN', { value: formPick.raw }));
  } else {
    form = forms.find(formPick.value, day);
    if (!form)
      issues.push(
        issue(
          'META_FORM_NOT_IN_FORCE',
          { value: formPick.raw },
          { form: formPick.value, period: periodPick?.value?.canonical ?? '' },
        ),
      );
  }

  // A commune officer's own code (which the web page names for them) yields to the file's: the
  // file's commune is then judged against their scope, and one not theirs is told so by name
  // (META_FORBIDDEN, evaluate.ts) rather than as a conflict with a value they never chose.
  const ownGiven =
    principal.level === 'commune' &&
    given.commune !== undefined &&
    normalizeCommuneCode(given.commune) === principal.code;
  const communePick = pick(
    metaNames.commune,
    ownGiven && file.commune?.trim() ? undefined : given.commune,
    file.commune,
    normalizeCommuneCode,
    (a, b) => a === b,
    issues,
  );
  let communeCode: string | undefined;
  if (communePick === undefined) {
    if (principal.level === 'commune' && principal.code) communeCode = principal.code;
    else issues.push(issue('META_COMMUNE_MISSING'));
  } else if (communePick.value === null) {
    issues.push(issue('META_COMMUNE_UNKNOWN', { value: communePick.raw }, { period: '' }));
  } else communeCode = communePick.value;

  issues.push(...periodIssues);
  let period: Period | undefined;
  if (periodPick === undefined) issues.push(issue('META_PERIOD_MISSING'));
  else if (periodPick.value === null) issues.push(issue('META_PERIOD_INVALID', { value: periodPick.raw }));
  else period = periodPick.value;
  if (form && period && !periodFits(form.periodicity, period)) {
    const [wantVi, wantEn] = periodicityNames[form.periodicity];
    issues.push(issue('META_PERIOD_KIND', { value: period.canonical }, { form: form.code, wantVi, wantEn }));
  }

  if (issues.length > 0 || !form || !communeCode || !period) return { issues };
  return { meta: { form, communeCode, period } };
}

const periodicityNames: Record<Periodicity, [string, string]> = {
  month: ['tháng', 'month'],
  quarter: ['quý', 'quarter'],
  half_year: ['6 tháng', 'half-year'],
  nine_months: ['9 tháng', 'nine months'],
  year: ['năm', 'year'],
};

/** Whether a period is one of the form's (a quarterly form takes `2023-Q2`, not `2023-06`). */
function periodFits(periodicity: Periodicity, period: Period): boolean {
  return period.kind === periodicity;
}
