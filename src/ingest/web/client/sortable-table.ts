import { h, fill, type Child } from './dom.ts';

export type Column<R> = {
  readonly key: string;
  readonly label: string;
  /** Numbers align right and sort numerically. */
  readonly numeric?: boolean;
  /** What the column sorts by; null sorts last whichever the direction. */
  readonly sortValue?: (row: R) => string | number | null;
  readonly cell: (row: R) => Child;
  /** The row's header cell (its unit), read out by a screen reader with every other cell. */
  readonly rowHeader?: boolean;
  /** Left out on a phone, where the width is better spent on the figures. */
  readonly hideOnPhone?: boolean;
};

function cellClass(c: Column<never>): string | null {
  return [c.numeric ? 'num' : '', c.hideOnPhone ? 'phone-hide' : ''].join(' ').trim() || null;
}

type Sort = { key: string; dir: 'ascending' | 'descending' };

function compare(a: string | number | null, b: string | number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'vi');
}

/**
 * A table whose column headers are buttons that sort it, announcing the order with aria-sort;
 * wrapped in a focusable region that scrolls sideways on a narrow screen.
 */
export function sortableTable<R>(options: {
  caption: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  sort?: Sort;
  id?: string;
  stack?: boolean;
}): HTMLElement {
  let sort: Sort | null = options.sort ?? null;
  const head = h('thead', { role: options.stack ? 'rowgroup' : null });
  const body = h('tbody', { role: options.stack ? 'rowgroup' : null });

  const render = () => {
    const col = options.columns.find((c) => c.key === sort?.key);
    const rows = [...options.rows];
    if (col?.sortValue && sort) {
      const by = col.sortValue;
      const sign = sort.dir === 'ascending' ? 1 : -1;
      rows.sort((a, b) => {
        const va = by(a);
        const vb = by(b);
        if (va === null || vb === null) return compare(va, vb);
        return sign * compare(va, vb);
      });
    }
    fill(
      head,
      h(
        'tr',
        { role: options.stack ? 'row' : null },
        options.columns.map((c) => {
          const dir = sort?.key === c.key ? sort.dir : null;
          const label = c.sortValue
            ? h(
                'button',
                { type: 'button', class: 'sort', onclick: () => toggle(c.key) },
                c.label,
                h(
                  'span',
                  { 'aria-hidden': 'true', class: 'arrow' },
                  dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ' ↕',
                ),
              )
            : c.label;
          return h(
            'th',
            {
              scope: 'col',
              class: cellClass(c),
              'aria-sort': dir ?? (c.sortValue ? 'none' : null),
              role: options.stack ? 'columnheader' : null,
            },
            label,
          );
        }),
      ),
    );
    fill(
      body,
      rows.map((r) =>
        h(
          'tr',
          { role: options.stack ? 'row' : null },
          options.columns.map((c) =>
            h(
              c.rowHeader ? 'th' : 'td',
              {
                class: cellClass(c),
                scope: c.rowHeader ? 'row' : null,
                'data-label': options.stack ? c.label : null,
                role: options.stack ? (c.rowHeader ? 'rowheader' : 'cell') : null,
              },
              c.cell(r),
            ),
          ),
        ),
      ),
    );
  };
  const toggle = (key: string) => {
    sort = { key, dir: sort?.key === key && sort.dir === 'ascending' ? 'descending' : 'ascending' };
    render();
    (head.querySelector(`th[aria-sort]:not([aria-sort="none"]) button`) as HTMLButtonElement | null)?.focus();
  };
  render();
  // A stacked table turns into one card per row on a phone; the explicit roles keep it a table to a
  // screen reader, which the CSS display change would otherwise undo.
  const table = h(
    'table',
    { id: options.id ?? null, class: options.stack ? 'stack' : null, role: options.stack ? 'table' : null },
    h('caption', null, options.caption),
    head,
    body,
  );
  // A named group rather than a region: a region is a landmark, and two tables with one caption (or a table captioned
  // as its section) would make two landmarks of one name.
  const wrap = h('div', { class: 'table-wrap', role: 'group', 'aria-label': options.caption, tabindex: 0 }, table);
  if (options.stack && options.columns.some((c) => c.sortValue)) untabbableWhenStacked(head);
  return wrap;
}

/** Where a stacked table turns into cards (styles.css): its header row is out of sight, so its sort buttons take no Tab stop. */
const stacked = matchMedia('(max-width: 600px)');

function untabbableWhenStacked(head: HTMLElement): void {
  const apply = () => {
    for (const button of head.querySelectorAll('button')) {
      if (stacked.matches) button.setAttribute('tabindex', '-1');
      else button.removeAttribute('tabindex');
    }
  };
  apply();
  new MutationObserver(apply).observe(head, { childList: true, subtree: true });
  stacked.addEventListener('change', apply);
}

/** A plain table with the same look, for short lists that need no sorting. */
export function simpleTable<R>(
  caption: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  options: { stack?: boolean; id?: string } = {},
): HTMLElement {
  return sortableTable({ caption, columns: columns.map((c) => ({ ...c, sortValue: undefined })), rows, ...options });
}
