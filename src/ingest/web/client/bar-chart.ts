import { drawAtWidth } from './chart-frame.ts';
import { h, s } from './dom.ts';

export type Bar = { readonly label: string; readonly value: number | null; readonly text: string };

/**
 * Horizontal bars, one per unit, drawn at the width the page has (so text keeps its size on a
 * phone) and redrawn when that changes. The table beside it holds the same figures for a screen
 * reader; the chart itself is one labelled image.
 */
export function barChart(options: { label: string; bars: readonly Bar[]; max: number }): HTMLElement {
  const box = h('figure', { class: 'chart' }, h('figcaption', null, options.label));
  drawAtWidth(box, (width) => {
    const labelWidth = Math.min(180, Math.floor(width * 0.38));
    const valueWidth = 64;
    const barArea = width - labelWidth - valueWidth - 8;
    const rowHeight = 24;
    const height = options.bars.length * rowHeight + 4;
    const svg = s(
      'svg',
      { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.label },
      options.bars.map((b, i) => {
        const y = i * rowHeight + 2;
        const w = b.value === null || options.max <= 0 ? 0 : Math.max(1, (b.value / options.max) * barArea);
        return s(
          'g',
          null,
          s('title', null, `${b.label}: ${b.text}`),
          s('text', { x: labelWidth - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, b.label),
          s('rect', { x: labelWidth, y: y + 3, width: w, height: rowHeight - 8, rx: 2, class: 'chart-bar' }),
          s('text', { x: labelWidth + w + 4, y: y + 15, class: 'chart-value' }, b.text),
        );
      }),
    );
    return svg;
  });
  return box;
}
