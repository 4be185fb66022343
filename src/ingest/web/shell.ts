import type { BootData } from './client/boot-data.ts';
import { translate, type MessageKey } from './client/messages.ts';
import type { WebAssets } from './assets.ts';
import { navFor, type PageDef } from './pages.ts';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => escapes[c]!);
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</gu, '\\u003c')
    .replace(/\u2028/gu, '\\u2028')
    .replace(/\u2029/gu, '\\u2029');
}

export type ShellOptions = {
  readonly page: PageDef;
  readonly boot: BootData;
  readonly assets: WebAssets;
  /** The client script that draws the page, `login-page` for instance; the error pages have only the header's. */
  readonly script: string;
  /** Drawn in <main> before the script runs: the error pages' whole content. */
  readonly message?: string;
};

/**
 * A page's HTML: the header with the menu, language switch and logout drawn by the server, a main
 * region the page script fills, and every module the script needs listed for preloading, so a
 * slow link pays its latency once rather than once per import level.
 */
export function renderShell(o: ShellOptions): string {
  const { lang, user } = o.boot;
  const t = (key: MessageKey, params?: Record<string, string>) => escapeHtml(translate(lang, key, params));
  const base = `/assets/${o.assets.version}/`;
  const modules = o.assets.modulesOf(o.script);
  const nav = user
    ? `<nav aria-label="${t('app.navLabel')}"><ul>${navFor(user.level, user.roles)
        .map(
          (p) =>
            `<li><a href="${p.path}"${p.name === o.page.name ? ' aria-current="page"' : ''}>${t(p.title)}</a></li>`,
        )
        .join('')}</ul></nav>`
    : '';
  const who = user
    ? `<span>${t('app.signedInAs', { user: user.scopeName ? `${user.username} · ${user.scopeName}` : user.username })}</span>`
    : '';
  const other = translate(lang, 'app.switchLang');
  return (
    `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(o.page.title)} · ${t('app.name')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}styles.css">
${modules.map((m) => `<link rel="modulepreload" href="${base}${m}">`).join('\n')}
<script type="module" src="${base}${o.script}.js"></script>
</head>
<body data-page="${escapeHtml(o.page.name)}">
<a class="skip" href="#main">${t('app.skip')}</a>
<header class="top">
<a class="brand" href="/">${t('app.name')}</a>
${nav}
<div class="account">${who}<button type="button" id="lang-switch" lang="${other}" ` +
    `aria-label="${t('app.switchLabel')}">${t('app.switch')}</button>${user ? `<button type="button" id="logout">${t('app.logout')}</button>` : ''}</div>
</header>
<main id="main" tabindex="-1">
<h1>${t(o.page.title)}</h1>
<div id="app">${o.message === undefined ? `<p class="muted">${t('app.loading')}</p>` : o.message}</div>
<noscript><p class="notice">${t('app.noscript')}</p></noscript>
</main>
<script type="application/json" id="boot">${scriptJson(o.boot)}</script>
</body>
</html>
`
  );
}
