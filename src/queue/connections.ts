import type { RedisOptions } from 'bullmq';

/**
 * A producer (the ingest service, the reconciler) must not hang a request when Redis is away:
 * its commands fail after one retry and the submission waits in Postgres for the reconciler.
 */
export function producerConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true };
}

/** A worker blocks on Redis and must keep retrying forever through an outage (BullMQ requires `null`). */
export function workerConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: null, enableOfflineQueue: true };
}
