import { act } from './approver-action.ts';
import { unitText } from './approver-format.ts';
import { form } from './approver-state.ts';
import type { Approval, CommuneRate } from './approver-types.ts';
import { api } from './api.ts';
import { t as ta } from './boot.ts';
import { h, type Child } from './dom.ts';
import { fmtTime } from './format.ts';
import { reasonButton } from './reason-button.ts';

/** A unit approved from commune to province (SPEC §7): the approver page's tables have a row for each. */
export type Unit = { level: 'commune' | 'district' | 'province'; code: string; name: string };

export function approvalOf(approvals: readonly Approval[], unit: Unit): Approval | undefined {
  return approvals.find((a) => a.level === unit.level && a.unit_code === unit.code);
}

/** A unit's approval as its row says it: pending, approved by whom and when, or marked missing and why. */
export function approvalState(a: Approval | undefined): Child {
  if (!a) return h('span', { class: 'muted' }, ta('ap.pending'));
  if (a.kind === 'missing')
    return h(
      'span',
      { class: 'warn-text' },
      ta('ap.missingBy', { reason: a.reason ?? '', by: a.approved_by_name, at: fmtTime(a.approved_at) }),
    );
  return h('span', { class: 'ok' }, '✓ ', ta('ap.approvedBy', { by: a.approved_by_name, at: fmtTime(a.approved_at) }));
}

/** What may be done to a unit's approval: undo it, with a reason; else approve it, or mark a commune missing. */
export function approvalButtons(period: string, unit: Unit, a: Approval | undefined, reported: boolean): Child {
  const target = { form, period, level: unit.level, unit: unit.code };
  const name = unitText(unit);
  if (a) {
    return reasonButton({
      text: ta('ap.unapprove'),
      label: ta('ap.unapproveLabel', { unit: name }),
      title: ta('ap.reasonTitle.unapprove', { unit: name }),
      required: true,
      run: (reason) => api('/v1/approvals', { method: 'DELETE', body: { ...target, reason } }),
      done: ta('ap.unapproveDone', { unit: name }),
    });
  }
  const approve = h(
    'button',
    {
      type: 'button',
      class: 'small primary',
      'aria-label': ta('ap.approveLabel', { unit: name }),
      onclick: () =>
        act(() => api('/v1/approvals', { method: 'POST', body: target }), ta('ap.approveDone', { unit: name })),
    },
    ta('ap.approve'),
  );
  if (unit.level !== 'commune') return approve;
  const missing = reasonButton({
    text: ta('ap.markMissing'),
    label: ta('ap.markMissingLabel', { unit: name }),
    title: ta('ap.reasonTitle.missing', { unit: name }),
    required: true,
    run: (reason) => api('/v1/approvals', { method: 'POST', body: { ...target, missing: true, reason } }),
    done: ta('ap.missingDone', { unit: name }),
  });
  // A commune without a report cannot be approved, only marked missing; one with a report may be either.
  return h('span', { class: 'button-row' }, reported ? approve : null, missing);
}

/** A commune's report for the period: none, on time, or how many days late. */
export function reportCell(c: CommuneRate): Child {
  if (c.actual_reports === 0) return h('strong', { class: 'missing' }, ta('ap.reportNone'));
  if (c.actual_reports_on_time === 1) return h('span', { class: 'ok' }, ta('ap.reportOnTime'));
  return h('span', { class: 'warn-text' }, ta('ap.reportLate', { days: c.days_late ?? '?' }));
}
