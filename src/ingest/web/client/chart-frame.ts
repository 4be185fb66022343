/**
 * Draws a chart's SVG into its figure at the width the page gives it, and again when that width
 * changes by more than a few pixels (a phone turned, a window resized), so text keeps its size.
 * The width passed is at least 280 px (600 before the box is laid out).
 */
export function drawAtWidth(box: HTMLElement, draw: (width: number) => SVGElement): void {
  const render = () => {
    box.querySelector('svg')?.remove();
    box.appendChild(draw(Math.max(280, Math.floor(box.clientWidth || 600))));
  };
  let last = 0;
  new ResizeObserver(() => {
    if (Math.abs(box.clientWidth - last) < 8) return;
    last = box.clientWidth;
    render();
  }).observe(box);
}
