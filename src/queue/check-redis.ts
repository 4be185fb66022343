import { Redis } from 'ioredis';
import { serviceUnreachable } from '../service-unreachable.ts';

/** Fails fast, naming Redis and how to start it, when nothing answers at `url`. */
export async function checkRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw serviceUnreachable('redis', url, error);
  } finally {
    client.disconnect();
  }
}
