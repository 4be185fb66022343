import { h, type Child } from './dom.ts';

/** One of a page's sections: a card named by its heading, `<id>-h`, which comes first among its contents. */
export function card(id: string, ...content: Child[]): HTMLElement {
  const [title, ...rest] = content;
  return h('section', { class: 'card', 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...rest);
}
