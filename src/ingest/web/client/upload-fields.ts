// Its words first: the fields are drawn as this module loads.
import './messages-upload.ts';
import { boot, formName, t } from './boot.ts';
import { fill, h } from './dom.ts';
import { fmtBytes, fmtPeriod } from './format.ts';

/**
 * The upload form's fields, which hold what the officer chose: the files, and the form, period and
 * commune to file them under when the file does not say (left empty, the server reads them from it).
 */
const user = boot.user!;
const params = new URLSearchParams(location.search);
/** A commune officer always sends for their commune; naming it also files an unreadable upload under it. */
export const ownCommune = user.level === 'commune' ? user.code : null;
/** The commune the address names, for someone who sends for several. */
export const askedCommune = params.get('commune');

export const input = h('input', {
  type: 'file',
  id: 'files',
  name: 'file',
  multiple: true,
  accept: '.xlsx,.xls,.ods,.csv,.json,.txt,.zip',
  class: 'visually-hidden',
  'aria-describedby': 'drop-hint',
});
export const chosen = h('ul', { class: 'chosen', 'aria-live': 'polite' });
export const drop = h(
  'div',
  { class: 'drop' },
  input,
  h(
    'label',
    { for: 'files' },
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
    h('strong', null, t('upload.drop')),
    h('span', { id: 'drop-hint', class: 'hint' }, t('upload.dropHint')),
  ),
);
// A link from the due table names the form and period to send (submissions-page.ts): chosen already.
const askedForm = params.get('form');
const askedPeriod = params.get('period');
export const formSelect = h(
  'select',
  { id: 'form', name: 'form' },
  h('option', { value: '' }, t('upload.formAuto')),
  boot.forms.map((f) => h('option', { value: f.code, selected: f.code === askedForm }, formName(f.code))),
);
const periods = askedPeriod && !boot.quarters.includes(askedPeriod) ? [askedPeriod, ...boot.quarters] : boot.quarters;
export const periodSelect = h(
  'select',
  { id: 'period', name: 'period' },
  h('option', { value: '' }, t('upload.periodAuto')),
  periods.map((p) => h('option', { value: p, selected: p === askedPeriod }, fmtPeriod(p))),
);
export const communeInput = ownCommune
  ? null
  : h('input', {
      id: 'commune',
      name: 'commune',
      inputmode: 'numeric',
      pattern: '[0-9]{5}',
      maxlength: 5,
      value: askedCommune ?? '',
      'aria-describedby': 'commune-hint',
    });

/** Lists the files chosen, each with its size. */
export function showChosen(): void {
  const files = [...(input.files ?? [])];
  fill(
    chosen,
    files.length === 0
      ? h('li', { class: 'muted' }, t('upload.none'))
      : files.map((f) => h('li', null, f.name, ' ', h('span', { class: 'muted' }, `(${fmtBytes(f.size)})`))),
  );
}

/** The request's fields, and the file itself or, once checked and kept by the server, its check id. */
export function formData(file: File | { check: string }): FormData {
  const data = new FormData();
  const commune = ownCommune ?? communeInput?.value.trim() ?? '';
  if (commune) data.append('commune', commune);
  if (formSelect.value) data.append('form', formSelect.value);
  if (periodSelect.value) data.append('period', periodSelect.value);
  if (file instanceof File) data.append('file', file, file.name);
  else data.append('check', file.check);
  return data;
}
