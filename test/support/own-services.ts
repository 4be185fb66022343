import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectDb, type Db } from '../../src/db/connect.ts';
import { start, type Running } from '../../src/start.ts';
import { startPostgresCluster, type PostgresCluster } from '../chaos/postgres-cluster.ts';
import { freePort, startRedisServer, type RedisServer } from '../chaos/redis-server.ts';
import { importUnitFile, namPo } from './builders.ts';

export type OwnServices = {
  cluster: PostgresCluster;
  redis: RedisServer;
  env: Record<string, string>;
  /** A pool of the test's own on the cluster (it reconnects by itself after a crash). */
  db: Db;
  /** `tonghop start --role all` in the test process, against the cluster and the redis-server. */
  running: Running;
  /** SIGKILL of redis-server, and (when `restart` is called) a new one, empty, on the same port. */
  crashRedis(): Promise<{ restart: () => Promise<void> }>;
};

/**
 * A Postgres cluster and a redis-server of the test file's own, so that they can be crashed
 * without touching the services other files share, and the service running on them, with the Nậm
 * Pồ units imported. For the outage tests (issue 23).
 */
export function useOwnServices(settings: Record<string, string> = {}): OwnServices {
  const own = {} as OwnServices;
  beforeAll(async () => {
    own.cluster = await startPostgresCluster(await freePort());
    own.redis = await startRedisServer();
    own.env = {
      DATABASE_URL: own.cluster.url.replace(/\/postgres$/u, '/tonghop'),
      REDIS_URL: own.redis.url,
      QUEUE_PREFIX: 'own',
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      ROLLUP_DEBOUNCE_MS: '50',
      ...settings,
    };
    own.running = await start(loadConfig(own.env), 'all', {
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    own.db = connectDb(own.env.DATABASE_URL!, { max: 4 });
    await importUnitFile(own.db, join(namPo, 'units.csv'));
    own.crashRedis = async () => {
      const { port } = own.redis;
      await own.redis.stop();
      return {
        restart: async () => {
          own.redis = await startRedisServer({ port });
        },
      };
    };
  }, 180_000);
  afterAll(async () => {
    await own.running?.stop();
    await own.db?.destroy();
    await own.redis?.stop();
    await own.cluster?.stop();
  }, 60_000);
  return own;
}
