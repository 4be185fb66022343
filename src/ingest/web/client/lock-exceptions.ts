import { act } from './approver-action.ts';
import { unitText } from './approver-format.ts';
import { form, province } from './approver-state.ts';
import type { LockException, Rates } from './approver-types.ts';
import { api } from './api.ts';
import { t as ta } from './boot.ts';
import { card } from './card.ts';
import { h } from './dom.ts';
import { field } from './field.ts';
import { fmtPeriod, fmtTime } from './format.ts';
import { reasonButton } from './reason-button.ts';
import { simpleTable } from './sortable-table.ts';

/** The province's lock exceptions for the period, each with a button to revoke it, and the form that grants one. */
export function exceptionsSection(rates: Rates, exceptions: readonly LockException[], period: string): HTMLElement {
  const names = new Map(rates.communes.map((c) => [c.unit_code, c.unit_name]));
  const named = (code: string) => unitText({ code, name: names.get(code) ?? code });
  const communeSelect = h(
    'select',
    { id: 'exception-commune', name: 'commune', required: true },
    rates.communes.map((c) => h('option', { value: c.unit_code }, unitText({ code: c.unit_code, name: c.unit_name }))),
  );
  const until = h('input', { id: 'exception-until', name: 'until', type: 'date', required: true });
  const reason = h('textarea', {
    id: 'exception-reason',
    name: 'reason',
    rows: 2,
    required: true,
    minlength: 3,
    maxlength: 1000,
  });
  const grant = h(
    'form',
    { class: 'grid', 'aria-labelledby': 'grant-h' },
    h('h3', { id: 'grant-h' }, ta('ap.grant')),
    field('exception-commune', ta('ap.commune'), communeSelect),
    field('exception-until', ta('ap.until'), until),
    field('exception-reason', ta('ap.reason'), reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, ta('ap.grant'))),
  );
  grant.addEventListener('submit', (event) => {
    event.preventDefault();
    const commune = communeSelect.value;
    void act(
      () =>
        api('/v1/lock-exceptions', {
          method: 'POST',
          body: { form, period, commune, until: until.value, reason: reason.value.trim() },
        }),
      ta('ap.grantDone', { unit: named(commune), until: until.value }),
    );
  });
  const mine = exceptions.filter((e) => e.province_code === province);
  return card(
    'exceptions',
    ta('ap.exceptions'),
    h('p', { class: 'hint' }, ta('ap.exceptionsIntro')),
    mine.length === 0
      ? h('p', { id: 'no-exceptions' }, ta('ap.noExceptions'))
      : simpleTable<LockException>(
          ta('ap.exceptionsCaption', { period: fmtPeriod(period) }),
          [
            { key: 'commune', label: ta('ap.commune'), rowHeader: true, cell: (e) => named(e.commune_code) },
            { key: 'until', label: ta('ap.until'), cell: (e) => e.until },
            { key: 'reason', label: ta('ap.reason'), cell: (e) => e.reason },
            { key: 'by', label: ta('ap.grantedBy'), cell: (e) => `${e.granted_by_name} · ${fmtTime(e.granted_at)}` },
            {
              key: 'actions',
              label: ta('ap.actions'),
              cell: (e) =>
                reasonButton({
                  text: ta('ap.revoke'),
                  label: ta('ap.revokeLabel', { unit: named(e.commune_code) }),
                  title: ta('ap.reasonTitle.revoke', { unit: named(e.commune_code) }),
                  required: false,
                  run: (why) =>
                    api('/v1/lock-exceptions', {
                      method: 'DELETE',
                      body: { id: e.id, ...(why ? { reason: why } : {}) },
                    }),
                  done: ta('ap.revokeDone', { unit: named(e.commune_code) }),
                }),
            },
          ],
          mine,
          { id: 'exceptions', stack: true },
        ),
    grant,
  );
}
