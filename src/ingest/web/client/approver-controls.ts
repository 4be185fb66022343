import { form, province, user } from './approver-state.ts';
import { query } from './api.ts';
import { boot, pick, t as ta } from './boot.ts';
import { h } from './dom.ts';
import { field } from './field.ts';
import { fmtPeriod } from './format.ts';

/** The approver's choice of form, period and (an admin's) province: showing another loads its address. */
export function controls(periods: readonly string[], period: string | null): HTMLElement {
  const formSelect = h(
    'select',
    { id: 'form', name: 'form' },
    boot.forms.map((f) => h('option', { value: f.code, selected: f.code === form }, `${f.code} — ${pick(f.title)}`)),
  );
  const periodInput = h('input', {
    id: 'period',
    name: 'period',
    list: 'period-list',
    value: period ?? '',
    required: true,
    'aria-describedby': 'period-hint',
    autocomplete: 'off',
  });
  const provinceInput =
    user.level === 'admin'
      ? h('input', {
          id: 'province',
          name: 'province',
          inputmode: 'numeric',
          pattern: '[0-9]{2}',
          maxlength: 2,
          required: true,
          value: province,
        })
      : null;
  const el = h(
    'form',
    { class: 'card controls', 'aria-label': ta('ap.controls') },
    field('form', ta('ap.form'), formSelect),
    field(
      'period',
      ta('ap.period'),
      periodInput,
      h(
        'datalist',
        { id: 'period-list' },
        periods.map((p) => h('option', { value: p }, fmtPeriod(p))),
      ),
      h('span', { id: 'period-hint', class: 'hint' }, ta('ap.periodHint')),
    ),
    provinceInput ? field('province', ta('ap.province'), provinceInput) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, ta('ap.show'))),
  );
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    location.assign(
      `/approver${query({ form: formSelect.value, period: periodInput.value.trim(), province: provinceInput?.value ?? null })}`,
    );
  });
  return el;
}
