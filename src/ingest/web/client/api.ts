import { boot, pick, t } from './boot.ts';
import { connectionTrouble } from './connection-notice.ts';
import { NetworkError, retrying, waitText } from './retry.ts';

/** An API refusal, with the message the API gave in both languages. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly bilingual: { vi: string; en: string } | null;
  readonly details: unknown;
  readonly retryAfter: number | null;
  constructor(status: number, body: unknown, retryAfter: number | null = null) {
    const error = (
      body as { error?: { code?: string; message?: { vi: string; en: string }; details?: unknown } } | null
    )?.error;
    super(error?.message?.en ?? `HTTP ${status}`);
    this.status = status;
    this.code = error?.code ?? 'HTTP';
    this.bilingual = error?.message ?? null;
    this.details = error?.details;
    this.retryAfter = retryAfter;
  }
}

/** What to tell a person about a failure, in the chosen language. */
export function errorText(error: unknown): string {
  // Never the browser's own words ("Failed to fetch", "network error"): what happened and what to do.
  if (error instanceof NetworkError)
    return navigator.onLine ? t('net.failed') : `${t('net.offline')} ${t('net.failed')}`;
  if (error instanceof ApiError && error.bilingual) return pick(error.bilingual);
  if (error instanceof ApiError) return `HTTP ${error.status}`;
  return error instanceof Error ? error.message : String(error);
}

/** An expired session sends the person to the login page, and back here afterwards. */
function toLogin(): never {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  throw new Error(t('page.login'));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * JSON from the API; a write carries the session's CSRF token. A read that gets no answer, or a
 * 503, is tried again by itself with backoff (retry.ts) while a line above the page says so.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && boot.csrf) headers['x-csrf-token'] = boot.csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const once = async () => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      text = await response.text();
    } catch {
      throw new NetworkError();
    }
    const body = parse(text);
    if (response.status === 401 && boot.user) toLogin();
    if (!response.ok) throw new ApiError(response.status, body, Number(response.headers.get('retry-after')) || null);
    return body as T;
  };
  if (method !== 'GET') return once();
  const id = Symbol(path);
  try {
    return await retrying(once, (wait) => connectionTrouble(id, waitText(wait)));
  } finally {
    connectionTrouble(id, null);
  }
}

/**
 * Files as multipart, through XMLHttpRequest because fetch cannot report upload progress, which an
 * officer on a slow link needs to see.
 */
export function postFiles<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  headers: Readonly<Record<string, string>> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (boot.csrf) xhr.setRequestHeader('x-csrf-token', boot.csrf);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 401) toLogin();
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body, Number(xhr.getResponseHeader('retry-after')) || null));
    });
    xhr.addEventListener('error', () => reject(new NetworkError()));
    xhr.addEventListener('timeout', () => reject(new NetworkError()));
    xhr.send(form);
  });
}

/** A query string from the defined values. */
export function query(params: Readonly<Record<string, string | number | null | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}
