import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { migrationsCurrent } from '../../db/migrate.ts';

async function check(what: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  try {
    await Promise.race([what(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function healthRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.get('/health/live', async () => ({ status: 'ok' }));

    /** Ready when Postgres and Redis answer and the schema is the one this code expects. */
    app.get('/health/ready', async (_request, reply) => {
      const postgres = await check(() => sql`select 1`.execute(deps.db), 2000);
      const redis = await check(() => deps.queues.normalize.getJobCounts('waiting'), 2000);
      const migrations = postgres === 'ok' ? ((await migrationsCurrent(deps.db).catch(() => false)) ? 'ok' : 'pending') : 'unknown';
      const ready = postgres === 'ok' && redis === 'ok' && migrations === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { postgres, redis, migrations } });
    });
  };
}
