import type { Issue } from '../../../schema/issue.ts';
import { pick, t } from './boot.ts';
import { h } from './dom.ts';
import { simpleTable } from './sortable-table.ts';

/**
 * Every problem of a file as the officer fixes them: the row as their spreadsheet numbers it, the
 * column by its header, the value found and what is wrong, in the chosen language.
 */
export function issueTable(file: string, issues: readonly Issue[]): HTMLElement {
  return simpleTable<Issue>(
    t('issues.caption', { file }),
    [
      // The row's name (the village) beside its number, where the form has one.
      {
        key: 'row',
        label: t('issues.row'),
        cell: (i) =>
          i.row === null
            ? t('issues.wholeFile')
            : i.row_label
              ? [String(i.row), ' ', h('span', { class: 'row-label' }, i.row_label)]
              : String(i.row),
      },
      { key: 'column', label: t('issues.column'), cell: (i) => i.column ?? '—' },
      {
        key: 'value',
        label: t('issues.value'),
        cell: (i) =>
          i.value === null || i.value === ''
            ? h('span', { class: 'muted' }, t('issues.empty'))
            : h('code', null, i.value),
      },
      { key: 'message', label: t('issues.message'), cell: (i) => pick(i.message) },
    ],
    issues,
    { stack: true },
  );
}
