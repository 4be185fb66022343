import { ApiError, errorText } from './api.ts';
import { pick, t as ta } from './boot.ts';
import { h, type Child } from './dom.ts';
import { fmtTime } from './format.ts';

// An approver's action and its outcome: every action goes through the /v1 API, then the page is
// drawn anew with what the API now says, the outcome on top as the API gave it.

/** The last action's outcome: done, or the API's refusal; null before the first. */
type Notice = { ok: string } | { error: unknown } | null;

let notice: Notice = null;
let redraw: () => Promise<void> = async () => undefined;

/** How the page draws itself anew after an action (approver-page.ts). */
export function onRedraw(draw: () => Promise<void>): void {
  redraw = draw;
}

/** The details an approval refusal may carry (the cycle routes' 409 and 400 answers). */
interface RefusalDetail {
  pending?: { unit: string; name: string }[];
  unit?: string;
  name?: string;
  approved_by?: string | null;
  approved_at?: string | null;
  message?: { vi: string; en: string };
  reason?: string;
}

/** What an API refusal says, with the units it lists: those still open (409 APPROVAL_BLOCKED), the unit above (UNAPPROVAL_BLOCKED), or the fields to fix. */
function refusalDetails(error: unknown): Child {
  if (!(error instanceof ApiError) || error.details === undefined || error.details === null) return null;
  const d = error.details as RefusalDetail;
  if (error.code === 'TONGHOP_ERR_APPROVAL_BLOCKED' && Array.isArray(d.pending)) {
    return [
      h('p', null, ta('ap.blocked')),
      h(
        'ul',
        { class: 'pending' },
        d.pending.map((p) => h('li', null, `${p.name} (${p.unit})`)),
      ),
    ];
  }
  if (error.code === 'TONGHOP_ERR_UNAPPROVAL_BLOCKED')
    return h(
      'p',
      null,
      ta('ap.blockedAbove', { unit: `${d.name} (${d.unit})`, by: d.approved_by ?? '', at: fmtTime(d.approved_at) }),
    );
  if (Array.isArray(error.details))
    return h(
      'ul',
      null,
      (error.details as { path?: string; message?: string | { vi: string; en: string } }[]).map((i) =>
        h('li', null, [i.path, typeof i.message === 'object' ? pick(i.message) : i.message].filter(Boolean).join(': ')),
      ),
    );
  if (d.message && typeof d.message.vi === 'string') return h('p', null, pick(d.message));
  if (typeof d.reason === 'string') return h('p', null, d.reason);
  return null;
}

/** The last action's outcome, drawn above the page; nothing before the first. */
export function noticeBox(): HTMLElement | null {
  if (!notice) return null;
  if ('ok' in notice)
    return h('div', { class: 'notice ok-notice', role: 'status', tabindex: -1, id: 'notice' }, h('p', null, notice.ok));
  return h(
    'div',
    { class: 'notice error', role: 'alert', tabindex: -1, id: 'notice' },
    h('p', null, errorText(notice.error)),
    refusalDetails(notice.error),
  );
}

/** Runs an action, then draws the page anew with what the API now says and moves focus to the outcome. */
export async function act(run: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await run();
    notice = { ok: done };
  } catch (error) {
    notice = { error };
  }
  await redraw();
  document.getElementById('notice')?.focus();
}
