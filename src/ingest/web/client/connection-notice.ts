import { h } from './dom.ts';

/** Reads waiting to be tried again, each with what the page says about it. */
const waiting = new Map<symbol, string>();
let banner: HTMLElement | null = null;

/**
 * The one line above the page that says a read is waiting to be tried again (api.ts), and
 * disappears once every read has its answer.
 */
export function connectionTrouble(id: symbol, text: string | null): void {
  if (text === null) waiting.delete(id);
  else waiting.set(id, text);
  const latest = [...waiting.values()].at(-1);
  if (latest === undefined) {
    banner?.remove();
    banner = null;
    return;
  }
  if (!banner) {
    banner = h('p', { class: 'notice connection', role: 'status', id: 'connection-notice' });
    const app = document.getElementById('app');
    if (app) app.before(banner);
    else document.body.prepend(banner);
  }
  banner.textContent = latest;
}
