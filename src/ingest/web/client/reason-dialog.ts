import { h } from './dom.ts';

export type ReasonRequest = {
  readonly title: string;
  readonly label: string;
  readonly required: boolean;
  readonly confirm: string;
  readonly cancel: string;
};

/**
 * Asks for the reason an action is kept with in the audit log, in a modal dialog: the browser's own
 * <dialog> keeps focus inside it and Escape cancels; focus goes back to the button that opened it.
 * Resolves to the reason ('' when optional and left empty), or null when cancelled.
 */
export function askReason(request: ReasonRequest): Promise<string | null> {
  const opener = document.activeElement as HTMLElement | null;
  const text = h('textarea', {
    id: 'reason-text',
    name: 'reason',
    rows: 3,
    maxlength: 1000,
    required: request.required,
    minlength: request.required ? 3 : null,
  });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'reason-title' }, request.title),
    h('div', { class: 'field' }, h('label', { for: 'reason-text' }, request.label), text),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', value: 'ok' }, request.confirm),
      h('button', { type: 'button', value: 'cancel', 'data-cancel': '' }, request.cancel),
    ),
  );
  const dialog = h('dialog', { class: 'reason', 'aria-labelledby': 'reason-title' }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer: string | null = null;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      answer = text.value.trim();
      dialog.close();
    });
    form.querySelector('[data-cancel]')!.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    dialog.showModal();
    text.focus();
  });
}
