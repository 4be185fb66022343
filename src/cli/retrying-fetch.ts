/**
 * How long `tonghop submit` keeps trying through an outage before it gives up: ten minutes, long
 * enough for a Postgres restart, a Redis failover or a redeploy, short enough that a script
 * waiting on it learns of a real failure the same hour.
 */
export const giveUpAfterMs = 10 * 60_000;

/** Waits between tries: 1, 2, 4, 8, 16, then 30 s; never less than the server's Retry-After. */
export function retryDelayMs(attempt: number, retryAfterHeader: string | null): number {
  const backoff = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  const asked = Number(retryAfterHeader) * 1000;
  return Number.isFinite(asked) && asked > backoff ? Math.min(asked, 60_000) : backoff;
}

/** What a person reads about a failed try: in Vietnamese, then in English. */
type Trouble = { vi: string; en: string };

/** A reply that says "not now" rather than "no": the same request will succeed later. */
function troubleOfStatus(status: number): Trouble | null {
  if (status === 503)
    return {
      vi: 'Hệ thống đang gián đoạn (503), tệp chưa được nhận',
      en: 'the service is interrupted (503); the file was not received',
    };
  if (status === 502 || status === 504)
    return {
      vi: `Máy chủ trung gian không tới được hệ thống (${status})`,
      en: `a proxy could not reach the service (${status})`,
    };
  if (status === 429) return { vi: 'Đã gửi quá nhiều yêu cầu (429)', en: 'too many requests (429)' };
  return null;
}

/** fetch's "fetch failed" carries what the socket said (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…) in its cause. */
function troubleOfError(error: unknown, url: URL): Trouble | null {
  if (!(error instanceof TypeError) && (error as { name?: string } | null)?.name !== 'TimeoutError') return null;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return { vi: `Không kết nối được tới ${url.origin} (${why})`, en: `cannot reach ${url.origin} (${why})` };
}

export type RetryNotice = { attempt: number; delayMs: number; nextAt: Date; trouble: Trouble };

/**
 * fetch, tried again with backoff while the service is away (503, 502, 504, 429, a refused or
 * dropped connection) until `giveUpAfterMs`; `notice` hears each wait. A POST is safe to send again
 * only with an Idempotency-Key in `init` (the server answers a repeat with the first answer).
 * `body` is made anew for each try: a FormData stream cannot be sent twice.
 */
export async function fetchRetrying(
  url: URL,
  init: () => RequestInit,
  notice: (n: RetryNotice) => void,
  options: { giveUpAfterMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Response> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? giveUpAfterMs);
  for (let attempt = 0; ; attempt += 1) {
    let trouble: Trouble | null;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(url, init());
      trouble = troubleOfStatus(response.status);
      if (!trouble) return response;
      retryAfter = response.headers.get('retry-after');
      if (Date.now() >= giveUpAt) return response;
      await response.body?.cancel();
    } catch (error) {
      trouble = troubleOfError(error, url);
      if (!trouble || Date.now() >= giveUpAt) throw error;
    }
    const delayMs = Math.min(retryDelayMs(attempt, retryAfter), Math.max(0, giveUpAt - Date.now()));
    notice({ attempt: attempt + 1, delayMs, nextAt: new Date(Date.now() + delayMs), trouble });
    await sleep(delayMs);
  }
}

/** One line about a wait, for a terminal: Vietnamese, then English. */
export function formatRetryNotice(n: RetryNotice): string {
  const s = Math.round(n.delayMs / 1000);
  const at = n.nextAt.toLocaleTimeString('vi-VN', { hour12: false });
  return `${n.trouble.vi}; sẽ thử lại sau ${s} giây (lúc ${at}, lần ${n.attempt + 1}). / ${n.trouble.en}; trying again in ${s} s (attempt ${n.attempt + 1}).`;
}
