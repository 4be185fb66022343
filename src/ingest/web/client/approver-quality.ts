import { unitText } from './approver-format.ts';
import { form, province, user } from './approver-state.ts';
import type { CommuneRate, QualityWarning, QualityWarnings } from './approver-types.ts';
import { query } from './api.ts';
import { pick, t as ta } from './boot.ts';
import { h, type Child } from './dom.ts';

/**
 * The period's data-quality warnings (SPEC §8) on the approver page: shown beside each commune and
 * summed up above the approvals, so that they are seen before approving.
 */
export type Warnings = ReadonlyMap<string, readonly QualityWarning[]>;

/** The period's warnings, by commune code. */
export function warningsByCommune(found: QualityWarnings): Warnings {
  const by = new Map<string, QualityWarning[]>();
  for (const w of found.warnings) by.set(w.commune, [...(by.get(w.commune) ?? []), w]);
  return by;
}

/** The analyst's page of the same warnings, each beside its history chart; at one commune's when named. */
function qualityHref(period: string, commune?: string): string {
  return `/quality${query({ form, period, province: user.level === 'admin' ? province : null })}${commune ? `#c-${commune}` : ''}`;
}

/** Above the approvals: how many warnings, in how many communes, so that none is approved unseen. */
export function qualitySummary(warnings: Warnings, period: string): HTMLElement {
  const total = [...warnings.values()].reduce((n, list) => n + list.length, 0);
  if (total === 0) return h('p', { id: 'quality-summary', class: 'muted' }, ta('ap.qualityClear'));
  return h(
    'p',
    { id: 'quality-summary', class: 'notice' },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    ta('ap.qualitySummary', { n: total, c: warnings.size }),
    ' ',
    h('a', { href: qualityHref(period) }, ta('ap.qualityLink')),
  );
}

/** A commune's warnings: their count, opening to what each says (the officer's words, in the page's language). */
export function qualityCell(c: CommuneRate, warnings: Warnings, period: string): Child {
  const list = warnings.get(c.unit_code) ?? [];
  // No report, nothing to judge: a dash, not "none".
  if (list.length === 0) return h('span', { class: 'muted' }, c.actual_reports === 0 ? '—' : ta('ap.qualityNone'));
  return h(
    'details',
    { class: 'quality-details', 'data-warnings': list.length },
    h('summary', null, h('span', { 'aria-hidden': 'true' }, '⚠ '), ta('ap.qualityCount', { n: list.length })),
    h(
      'ul',
      null,
      list.map((w) => h('li', null, pick(w.message))),
    ),
    // The link's name begins with its visible words (WCAG 2.5.3), then names the commune for a screen reader's list of links.
    h(
      'a',
      {
        href: qualityHref(period, c.unit_code),
        'aria-label': ta('ap.qualityCommuneLink', { unit: unitText({ code: c.unit_code, name: c.unit_name }) }),
      },
      ta('ap.qualityLink'),
    ),
  );
}
