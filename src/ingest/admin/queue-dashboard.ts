import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { dashboardHeaders } from '../security-headers.ts';
import { adminGate } from './admin-gate.ts';

export const dashboardPath = '/admin/queues';

/**
 * The queue dashboard (bull-board) at `/admin/queues`, admin token only: job counts, each job's
 * payload, attempts, error and stack; retry one job or every failed job of a queue.
 */
export function queueDashboardRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(dashboardPath);
    createBullBoard({
      queues: [new BullMQAdapter(deps.queues.normalize), new BullMQAdapter(deps.queues.rollup)],
      serverAdapter,
      options: { uiConfig: { boardTitle: 'tonghop' } },
    });
    // The hook sits in this plugin's scope, so it guards the dashboard's pages, assets and API alike.
    app.addHook('onRequest', adminGate(deps.db, dashboardPath));
    app.addHook('onSend', dashboardHeaders);
    await app.register(serverAdapter.registerPlugin(), { prefix: dashboardPath });
  };
}
