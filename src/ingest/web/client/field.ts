import { h, type Child } from './dom.ts';

/** A form field: its label, the control it names, then what follows the control (a hint, a datalist). */
export function field(id: string, label: string, control: HTMLElement, ...after: Child[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, ...after);
}
