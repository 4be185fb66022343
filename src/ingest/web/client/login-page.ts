import './messages-login.ts';
import { ApiError, api, errorText } from './api.ts';
import type { SessionBody } from './api-types.ts';
import { t } from './boot.ts';
import { appRoot, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';

/**
 * Where to go after logging in: the page that sent the person here, if it is one of ours. Resolved
 * as the browser will resolve it, then held to our origin: prefix checks miss what the URL parser
 * drops or turns around (`/%09/evil.example` is `//evil.example` once the tab is stripped).
 */
function next(): string {
  const wanted = new URLSearchParams(location.search).get('next') ?? '/';
  try {
    const target = new URL(wanted, location.origin);
    return target.origin === location.origin ? target.pathname + target.search + target.hash : '/';
  } catch {
    return '/';
  }
}

initChrome();
const message = h('div', { id: 'login-error', role: 'alert', class: 'notice error', hidden: true });
const username = h('input', {
  id: 'username',
  name: 'username',
  autocomplete: 'username',
  required: true,
  autocapitalize: 'none',
  spellcheck: 'false',
  'aria-describedby': 'login-error',
});
const password = h('input', {
  id: 'password',
  name: 'password',
  type: 'password',
  autocomplete: 'current-password',
  required: true,
  'aria-describedby': 'login-error',
});
const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
const form = h(
  'form',
  { class: 'card narrow', novalidate: false },
  h('p', null, t('login.intro')),
  message,
  h('div', { class: 'field' }, h('label', { for: 'username' }, t('login.username')), username),
  h('div', { class: 'field' }, h('label', { for: 'password' }, t('login.password')), password),
  h('div', { class: 'actions' }, submit),
);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  submit.textContent = t('login.busy');
  message.hidden = true;
  try {
    await api<SessionBody>('/v1/session', {
      method: 'POST',
      body: { username: username.value, password: password.value },
    });
    location.assign(next());
  } catch (error) {
    const wait =
      error instanceof ApiError && error.retryAfter
        ? ` ${t('login.retryIn', { minutes: Math.ceil(error.retryAfter / 60) })}`
        : '';
    fill(message, errorText(error) + wait);
    message.hidden = false;
    password.value = '';
    password.focus();
    submit.disabled = false;
    submit.textContent = t('login.submit');
  }
});
fill(appRoot(), form);
username.focus();
markReady();
