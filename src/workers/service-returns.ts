import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { reconnectSoon } from '../queue/connections.ts';

export type ReturnedService = 'redis' | 'postgres';

/** How often Postgres is asked, and the Redis marker looked at, between events. */
const pollMs = 1000;

/** A probe that has not answered in this long counts as a failure: a hung server is as good as gone. */
const probeTimeoutMs = 2000;

function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), probeTimeoutMs))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Calls `onReturn` as soon as Redis or Postgres is back after an outage, so that what waited in
 * Postgres meanwhile (uploads whose enqueue failed, jobs lost with an empty Redis, due rollups) is
 * put on the queues within seconds rather than after RECONCILE_STALE_S.
 *
 * Redis: a connection of its own, retried every half second, says `ready` the moment Redis answers
 * again; and a marker key, set here, tells a Redis that came back empty (a restart without
 * persistence, a FLUSHALL, a failover to an empty replica) from one that kept its data, even when
 * no disconnection was seen. Postgres: `select 1` every second; the first success after a failure
 * is its return.
 */
export function watchServiceReturns(
  deps: Pick<Deps, 'db' | 'config' | 'log'>,
  onReturn: (service: ReturnedService) => void,
): { stop(): Promise<void> } {
  const marker = `${deps.config.QUEUE_PREFIX}:tonghop:redis-marker`;
  const redis = new Redis(deps.config.REDIS_URL, {
    maxRetriesPerRequest: 1,
    connectTimeout: probeTimeoutMs,
    retryStrategy: reconnectSoon,
  });
  redis.on('error', () => {});
  let stopped = false;
  // Until the first look, Redis counts as up with its data, so starting does not count as a return.
  const down = { redis: false, postgres: false };
  let markerSeen = false;

  const lookAtRedis = async () => {
    try {
      // NX: several processes watching the same Redis agree on one marker; a missing one is recreated by the first to look.
      const created = (await within(redis.set(marker, String(Date.now()), 'NX'))) === 'OK';
      const emptied = created && markerSeen;
      markerSeen = true;
      if (down.redis || emptied) {
        deps.log.warn({ service: 'redis', emptied }, 'redis is back: pending work is enqueued again');
        down.redis = false;
        onReturn('redis');
      }
    } catch (err) {
      if (!down.redis) deps.log.warn({ service: 'redis', err }, 'redis unavailable');
      down.redis = true;
    }
  };
  const lookAtPostgres = async () => {
    try {
      await within(sql`select 1`.execute(deps.db));
      if (down.postgres) {
        deps.log.warn({ service: 'postgres' }, 'postgres is back: pending work is enqueued again');
        down.postgres = false;
        onReturn('postgres');
      }
    } catch (err) {
      if (!down.postgres) deps.log.warn({ service: 'postgres', err }, 'postgres unavailable');
      down.postgres = true;
    }
  };

  let looking: Promise<unknown> = Promise.resolve();
  const look = () => {
    looking = looking.then(() => Promise.all([lookAtRedis(), lookAtPostgres()]));
    return looking;
  };
  // A reconnection is seen at once, not at the next poll.
  redis.on('close', () => {
    if (!down.redis && !stopped) deps.log.warn({ service: 'redis' }, 'redis connection lost');
    down.redis = true;
  });
  redis.on('ready', () => void look());
  const timer = setInterval(() => {
    if (!stopped) void look();
  }, pollMs);
  timer.unref();
  void look();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await looking.catch(() => undefined);
      redis.disconnect();
    },
  };
}
