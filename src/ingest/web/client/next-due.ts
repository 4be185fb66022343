import type { Due } from './api-types.ts';
import { formName, t } from './boot.ts';
import { h } from './dom.ts';
import { fmtDay, fmtPeriod } from './format.ts';

/**
 * Per form, the period the officer owes next (GET /v1/due `next`, SPEC §7): its deadline and the
 * working days left, or how many it is overdue. A form with nothing owed is left out. Its words
 * are the submissions page's (messages-submissions.ts).
 */
export function nextDue(due: Due): HTMLElement {
  if (due.next.length === 0) return h('p', { class: 'ok', id: 'next-due' }, t('due.nextNone'));
  return h(
    'div',
    { id: 'next-due' },
    h('h3', null, t('due.next')),
    h(
      'ul',
      { class: 'links' },
      due.next.map((n) =>
        h(
          'li',
          { 'data-state': n.state },
          t('due.nextItem', { form: formName(n.form), period: fmtPeriod(n.period), deadline: fmtDay(n.deadline) }),
          n.state === 'overdue'
            ? h('strong', { class: 'missing' }, t('due.overdue', { days: -n.working_days_left }))
            : t('due.daysLeft', { days: n.working_days_left }),
        ),
      ),
    ),
  );
}
