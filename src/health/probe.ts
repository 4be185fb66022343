import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { migrationsCurrent } from '../db/migrate.ts';

export type Probe = { postgres: string; redis: string; migrations: string };

async function check(what: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      what(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether Postgres and Redis answer and the schema is the one this code expects: `ok`, or what went wrong. */
export async function probeDependencies(deps: Pick<Deps, 'db' | 'queues'>, timeoutMs = 2000): Promise<Probe> {
  const [postgres, redis] = await Promise.all([
    check(() => sql`select 1`.execute(deps.db), timeoutMs),
    check(() => deps.queues.normalize.getJobCounts('waiting'), timeoutMs),
  ]);
  const migrations =
    postgres === 'ok' ? ((await migrationsCurrent(deps.db).catch(() => false)) ? 'ok' : 'pending') : 'unknown';
  return { postgres, redis, migrations };
}

export function isReady(probe: Probe): boolean {
  return probe.postgres === 'ok' && probe.redis === 'ok' && probe.migrations === 'ok';
}

/** Why a process is not ready, as stable codes an operator or a load balancer can match (the details go to the log). */
export type NotReadyReason = 'postgres_unavailable' | 'redis_unavailable' | 'migrations_pending';

export function notReadyReasons(probe: Probe): NotReadyReason[] {
  const reasons: NotReadyReason[] = [];
  if (probe.postgres !== 'ok') reasons.push('postgres_unavailable');
  if (probe.redis !== 'ok') reasons.push('redis_unavailable');
  if (probe.postgres === 'ok' && probe.migrations !== 'ok') reasons.push('migrations_pending');
  return reasons;
}
