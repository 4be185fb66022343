import type { Due } from './api-types.ts';
import { boot, lang, t } from './boot.ts';
import { h } from './dom.ts';
import { fmtPeriod } from './format.ts';

const words = {
  vi: { heading: 'Kỳ phải nộp tiếp theo', none: 'Không còn kỳ nào phải nộp.', due: 'Hạn nộp' },
  en: { heading: 'Next period to send', none: 'Nothing left to send.', due: 'Deadline' },
}[lang];

/** "31/12/2026" from "2026-12-31", as the rest of the page writes days. */
const day = (iso: string) => iso.split('-').reverse().join('/');

/**
 * Per form, the period the officer owes next (GET /v1/due `next`, SPEC §7): its deadline and the
 * working days left, or how many it is overdue. A form with nothing owed is left out.
 */
export function nextDue(due: Due): HTMLElement {
  if (due.next.length === 0) return h('p', { class: 'ok', id: 'next-due' }, words.none);
  const title = (code: string) => boot.forms.find((f) => f.code === code)?.title[lang] ?? code;
  return h(
    'div',
    { id: 'next-due' },
    h('h3', null, words.heading),
    h(
      'ul',
      { class: 'links' },
      due.next.map((n) =>
        h(
          'li',
          { 'data-state': n.state },
          h('strong', null, `${title(n.form)} (${n.form}): ${fmtPeriod(n.period)}`),
          ` — ${words.due} ${day(n.deadline)}, `,
          n.state === 'overdue' ? h('strong', { class: 'missing' }, t('due.overdue', { days: -n.working_days_left })) : t('due.daysLeft', { days: n.working_days_left }),
        ),
      ),
    ),
  );
}
