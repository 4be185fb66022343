import { lang, t } from './boot.ts';

/** A request that got no answer at all: the link dropped, the browser is offline, the server is unreachable. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor() {
    super('network error');
  }
}

/**
 * How long a page keeps trying through an outage before it gives up and says so: ten minutes,
 * as `tonghop submit` (README, "When Postgres or Redis is down").
 */
export const giveUpAfterMs = 10 * 60_000;

/** One wait between two tries, for the page to tell the person. */
export type Wait = { attempt: number; delayMs: number; nextAt: Date; offline: boolean; unavailable: boolean };

/** Errors worth trying again: no answer, or an answer that says "not now" (503; 502 and 504 from a proxy in front). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  const status = (error as { status?: unknown } | null)?.status;
  return status === 503 || status === 502 || status === 504;
}

/** Waits `ms`, or less: until the browser is back online, or until `now()` is called (a "send now" button). */
function pause(ms: number): { done: Promise<void>; now: () => void } {
  let now = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      window.removeEventListener('online', finish);
      resolve();
    }
    window.addEventListener('online', finish);
    now = finish;
  });
  return { done, now };
}

/**
 * Runs `attempt`, and again after a wait whenever it fails with a retryable error: 1, 2, 4, 8, 16,
 * then 30 s (never less than the server's Retry-After), at once when the browser comes back
 * online, for at most `giveUpAfterMs`. `onWait` hears each wait and may cut it short.
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  onWait: (wait: Wait, now: () => void) => void,
): Promise<T> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || Date.now() >= giveUpAt) throw error;
      const retryAfterS = Number((error as { retryAfter?: unknown }).retryAfter) || 0;
      const delayMs = Math.min(
        Math.max(0, giveUpAt - Date.now()),
        Math.min(60_000, Math.max(retryAfterS * 1000, 1000 * 2 ** Math.min(n - 1, 5))),
      );
      const wait = pause(delayMs);
      onWait(
        {
          attempt: n + 1,
          delayMs,
          nextAt: new Date(Date.now() + delayMs),
          offline: !navigator.onLine,
          unavailable: !(error instanceof NetworkError),
        },
        wait.now,
      );
      await wait.done;
    }
  }
}

/** A clock time in the page's language, for "trying again at …". */
export function clockTime(at: Date): string {
  return at.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** What a page says while a read waits to be tried again. */
export function waitText(wait: Wait): string {
  if (wait.offline) return t('net.retryOnline', { why: t('net.offline') });
  return t('net.retryIn', {
    why: t(wait.unavailable ? 'net.unavailable' : 'net.unreachable'),
    s: Math.round(wait.delayMs / 1000),
    time: clockTime(wait.nextAt),
  });
}
