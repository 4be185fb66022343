import { api, errorText } from './api.ts';
import { t } from './boot.ts';
import { fill, h } from './dom.ts';
import { langCookieName } from './messages.ts';

/** Wires the header the server drew: the language switch and logout. Every page calls it first. */
export function initChrome(): void {
  document.getElementById('lang-switch')?.addEventListener('click', () => {
    // biome-ignore lint/suspicious/noDocumentCookie: one cookie before a reload; Cookie Store is not in every browser
    document.cookie = `${langCookieName}=${t('app.switchLang')}; Path=/; Max-Age=31536000; SameSite=Lax`;
    location.reload();
  });
  document.getElementById('logout')?.addEventListener('click', async () => {
    await api('/v1/session', { method: 'DELETE' }).catch(() => undefined);
    location.assign('/login');
  });
}

/** The page can be used now: what the benchmark and the tests wait for. */
export function markReady(): void {
  document.body.dataset.ready = 'true';
  performance.mark('usable');
}

export function appRoot(): HTMLElement {
  return document.getElementById('app')!;
}

/** A failed load, said plainly, with a way to try again. */
export function failure(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'notice error', role: 'alert' },
    h('p', null, t('app.error', { message: errorText(error) })),
    retry ? h('button', { type: 'button', onclick: retry }, t('app.retry')) : null,
  );
}

/** Draws the page with `load`; a load that fails is said in place of the page, with a button that reloads it. */
export function drawPage(root: HTMLElement, load: () => Promise<void>): Promise<void> {
  return load().catch((error: unknown) =>
    fill(
      root,
      failure(error, () => location.reload()),
    ),
  );
}
