import { boot, pick, t } from './boot.ts';

/** An API refusal, with the message the API gave in both languages. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly bilingual: { vi: string; en: string } | null;
  readonly details: unknown;
  readonly retryAfter: number | null;
  constructor(status: number, body: unknown, retryAfter: number | null = null) {
    const error = (body as { error?: { code?: string; message?: { vi: string; en: string }; details?: unknown } } | null)?.error;
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

/** JSON from the API; a write carries the session's CSRF token. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && boot.csrf) headers['x-csrf-token'] = boot.csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const body = parse(await response.text());
  if (response.status === 401 && boot.user) toLogin();
  if (!response.ok) throw new ApiError(response.status, body, Number(response.headers.get('retry-after')) || null);
  return body as T;
}

/**
 * Files as multipart, through XMLHttpRequest because fetch cannot report upload progress, which an
 * officer on a slow link needs to see.
 */
export function postFiles<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (boot.csrf) xhr.setRequestHeader('x-csrf-token', boot.csrf);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 401) toLogin();
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(new Error('network error')));
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
