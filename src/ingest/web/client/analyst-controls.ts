import { asOf, indicator, user } from './analyst-state.ts';
import { asOfFields, asOfInstant, datePattern, timePattern } from './as-of-time.ts';
import { query } from './api.ts';
import type { PeriodList } from './api-types.ts';
import { boot, pick, t, unitName } from './boot.ts';
import { h } from './dom.ts';
import { field } from './field.ts';
import { fmtPeriod } from './format.ts';

/** The analyst's choice of province, period, indicator and as-of instant: showing another loads its address. */
export function controls(list: PeriodList, province: string, period: string): HTMLElement {
  const names = new Map(list.provinces.map((p) => [p.code, p.name]));
  const provinces = [...new Set([...list.provinces.map((p) => p.code), province])];
  // The periods with figures, those due or being collected (no figure yet, but who has not reported),
  // and the one on the page whatever it is: the picker shows what the page shows, and "Xem" keeps it.
  const withFigures = new Set(list.periods.filter((p) => p.province_code === province).map((p) => p.period));
  const choices = [...new Set([...withFigures, ...list.due, period])].sort().reverse();
  const periodSelect = h(
    'select',
    { id: 'period', name: 'period' },
    choices.map((p) =>
      h(
        'option',
        { value: p, selected: p === period },
        withFigures.has(p) ? fmtPeriod(p) : `${fmtPeriod(p)} — ${t('an.noFigures')}`,
      ),
    ),
  );
  const indicatorSelect = h(
    'select',
    { id: 'indicator', name: 'indicator' },
    boot.forms.map((f) =>
      h(
        'optgroup',
        { label: `${f.code} — ${pick(f.title)}` },
        f.indicators.map((i) => h('option', { value: i.code, selected: i.code === indicator }, pick(i.name))),
      ),
    ),
  );
  const shown = asOfFields(asOf);
  const asOfDate = h('input', {
    id: 'as-of',
    name: 'as_of_date',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: datePattern,
    placeholder: t('an.datePlaceholder'),
    value: shown.date,
    size: 10,
    'aria-describedby': 'as-of-hint',
  });
  const asOfTime = h('input', {
    id: 'as-of-time',
    name: 'as_of_time',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: timePattern,
    placeholder: '23:59',
    value: shown.time,
    size: 5,
    'aria-describedby': 'as-of-hint',
  });
  for (const [input, bad] of [
    [asOfDate, 'an.asOfDateBad'],
    [asOfTime, 'an.asOfTimeBad'],
  ] as const) {
    input.addEventListener('invalid', () => {
      if (input.validity.patternMismatch) input.setCustomValidity(t(bad));
    });
    input.addEventListener('input', () => input.setCustomValidity(''));
  }
  // An admin picks any province; a province analyst too, when earlier provinces were merged into theirs.
  const provinceSelect =
    provinces.length > 1 || user.level === 'admin'
      ? h(
          'select',
          { id: 'province', name: 'province' },
          provinces.map((p) => h('option', { value: p, selected: p === province }, unitName(p, names.get(p)))),
        )
      : null;
  const form = h(
    'form',
    { class: 'card controls', 'aria-label': t('an.controls') },
    provinceSelect ? field('province', t('an.province'), provinceSelect) : null,
    field('period', t('an.period'), periodSelect),
    field('indicator', t('an.indicator'), indicatorSelect),
    h(
      'fieldset',
      { class: 'field as-of' },
      h('legend', null, t('an.asOf')),
      h(
        'div',
        { class: 'pair' },
        h('label', { for: 'as-of' }, h('span', { class: 'hint' }, t('an.asOfDate')), asOfDate),
        h('label', { for: 'as-of-time' }, h('span', { class: 'hint' }, t('an.asOfTime')), asOfTime),
      ),
      h('span', { id: 'as-of-hint', class: 'hint' }, t('an.asOfHint')),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('an.show')),
      asOf
        ? h(
            'a',
            {
              class: 'button',
              href: `/analyst${query({ period, indicator, province: provinceSelect ? province : null })}`,
            },
            t('an.now'),
          )
        : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const when = asOfDate.value.trim() ? asOfInstant(asOfDate.value, asOfTime.value) : null;
    if (asOfDate.value.trim() && !when) {
      asOfDate.setCustomValidity(t('an.asOfDateBad'));
      asOfDate.reportValidity();
      return;
    }
    location.assign(
      `/analyst${query({ province: provinceSelect?.value ?? null, period: periodSelect.value, indicator: indicatorSelect.value, as_of: when })}`,
    );
  });
  return form;
}
