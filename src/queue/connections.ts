import type { RedisOptions } from 'bullmq';

/**
 * How soon to try Redis again after losing it: every half second at most. BullMQ's own default
 * grows to 20 s between tries, so a process would notice a returned Redis up to 20 s late and the
 * backlog would wait that long (issue 23).
 */
export const reconnectSoon = (times: number) => Math.min(100 * times, 500);

/**
 * A producer (the ingest service, the reconciler) must not hang a request when Redis is away:
 * its commands fail after one retry and the submission waits in Postgres for the reconciler.
 */
export function producerConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true, retryStrategy: reconnectSoon };
}

/** A worker blocks on Redis and must keep retrying forever through an outage (BullMQ requires `null`). */
export function workerConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectSoon };
}
