import { drawAtWidth } from './chart-frame.ts';
import { h, s } from './dom.ts';

export type Point = { readonly label: string; readonly value: number | null; readonly text: string };

/** A series over periods: points joined by a line, the first and last values written beside them. */
export function lineChart(options: { label: string; points: readonly Point[]; max: number }): HTMLElement {
  const box = h('figure', { class: 'chart' }, h('figcaption', null, options.label));
  drawAtWidth(box, (width) => {
    const height = 180;
    const pad = { left: 12, right: 12, top: 24, bottom: 34 };
    const n = options.points.length;
    const x = (i: number) => (n <= 1 ? width / 2 : pad.left + 30 + (i * (width - pad.left - pad.right - 60)) / (n - 1));
    const y = (v: number) => pad.top + (1 - (options.max > 0 ? v / options.max : 0)) * (height - pad.top - pad.bottom);
    const known = options.points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
    const path = known.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ');
    const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width / 140))));
    const svg = s(
      'svg',
      { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.label },
      s('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'chart-axis' }),
      path ? s('path', { d: path, class: 'chart-line' }) : null,
      known.map((p) =>
        s(
          'g',
          null,
          s('title', null, `${p.label}: ${p.text}`),
          s('circle', { cx: x(p.i), cy: y(p.value!), r: 4, class: 'chart-point' }),
          n <= 12 || p.i === n - 1
            ? s('text', { x: x(p.i), y: y(p.value!) - 8, 'text-anchor': 'middle', class: 'chart-value' }, p.text)
            : null,
        ),
      ),
      // The first and last labels are anchored inward, so they are not cut at the edges.
      options.points.map((p, i) =>
        i % every === 0 || i === n - 1
          ? s(
              'text',
              {
                x: n === 1 ? x(i) : i === 0 ? pad.left : i === n - 1 ? width - pad.right : x(i),
                y: height - 12,
                'text-anchor': n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle',
                class: 'chart-label',
              },
              p.label,
            )
          : null,
      ),
    );
    return svg;
  });
  return box;
}
