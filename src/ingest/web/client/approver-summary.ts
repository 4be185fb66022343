import { act } from './approver-action.ts';
import { pct } from './approver-format.ts';
import { form, province } from './approver-state.ts';
import type { LockState, Rates } from './approver-types.ts';
import { api } from './api.ts';
import { t as ta } from './boot.ts';
import { card } from './card.ts';
import { h } from './dom.ts';
import { fmtPeriod, fmtTime } from './format.ts';
import { reasonButton } from './reason-button.ts';

/** The period at a glance: the province's reporting and on-time rates, and whether the period is locked, with the button that changes it. */
export function summary(rates: Rates, lock: LockState, period: string): HTMLElement {
  const facts: [string, string][] = [
    [ta('ap.expected'), String(rates.expected_reports)],
    [ta('ap.actual'), String(rates.actual_reports)],
    [ta('ap.onTime'), String(rates.actual_reports_on_time)],
    [ta('ap.rate'), pct(rates.reporting_rate)],
    [ta('ap.rateOnTime'), pct(rates.reporting_rate_on_time)],
  ];
  const target = { form, period, province };
  const lockLine = lock.lock
    ? h(
        'p',
        { id: 'lock-state' },
        h('strong', null, ta('ap.locked', { by: lock.lock.locked_by_name, at: fmtTime(lock.lock.locked_at) })),
        ' ',
        reasonButton({
          text: ta('ap.doUnlock'),
          title: ta('ap.reasonTitle.unlock', { period: fmtPeriod(period) }),
          required: false,
          run: (reason) => api('/v1/locks', { method: 'DELETE', body: { ...target, ...(reason ? { reason } : {}) } }),
          done: ta('ap.unlockDone', { period: fmtPeriod(period), form }),
        }),
      )
    : h(
        'p',
        { id: 'lock-state' },
        ta('ap.unlocked'),
        ' ',
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              act(
                () => api('/v1/locks', { method: 'POST', body: target }),
                ta('ap.lockDone', { period: fmtPeriod(period), form }),
              ),
          },
          ta('ap.doLock'),
        ),
      );
  return card(
    'summary',
    [ta('ap.summary', { period: fmtPeriod(period), form }), ` · ${rates.unit_name}`],
    h(
      'dl',
      { class: 'facts', id: 'rates' },
      facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    h('h3', null, ta('ap.lock')),
    lockLine,
  );
}
