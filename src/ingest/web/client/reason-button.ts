import { act } from './approver-action.ts';
import { t as ta } from './boot.ts';
import { h } from './dom.ts';
import { askReason } from './reason-dialog.ts';

/**
 * A button whose action is kept with a reason: it asks for the reason (required or not), then runs
 * the action with it ('' when an optional one is left empty) unless the person cancels.
 */
export function reasonButton(o: {
  text: string;
  label?: string;
  title: string;
  required: boolean;
  run: (reason: string) => Promise<unknown>;
  done: string;
}): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'small',
      'aria-label': o.label ?? null,
      onclick: async () => {
        const reason = await askReason({
          title: o.title,
          label: ta(o.required ? 'ap.reasonLabel' : 'ap.reasonOptional'),
          required: o.required,
          confirm: o.text,
          cancel: ta('ap.cancel'),
        });
        if (reason !== null) await act(() => o.run(reason), o.done);
      },
    },
    o.text,
  );
}
