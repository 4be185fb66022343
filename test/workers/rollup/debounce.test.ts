import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { workerConnection } from '../../../src/queue/connections.ts';
import { createQueues, enqueueRollup, queueNames, rollupDelay } from '../../../src/queue/queues.ts';
import { useServices } from '../../support/services.ts';

const services = useServices();

describe('rollupDelay', () => {
  const config = loadConfig({ ROLLUP_DEBOUNCE_MS: '250', ROLLUP_MAX_WAIT_MS: '1500' });
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 25, 8) + ms);

  it('waits the quiet period while the first change is recent, then only what is left of the cap, never less than nothing', () => {
    expect(rollupDelay(null, at(0), config)).toBe(250);
    expect(rollupDelay(at(0), at(0), config)).toBe(250);
    expect(rollupDelay(at(0), at(1200), config)).toBe(250);
    expect(rollupDelay(at(0), at(1400), config)).toBe(100);
    expect(rollupDelay(at(0), at(1500), config)).toBe(0);
    expect(rollupDelay(at(0), at(9000), config)).toBe(0);
  });
});

/**
 * Through the real rollup queue: requests for one province-period keep arriving every 50 ms, each
 * moving the waiting rollup to its own delay. Quiet periods of a second are far longer than any
 * pause of the sender, so a run while requests still come can only be the cap's doing.
 */
describe('requests for one province-period through the rollup queue', () => {
  const queues = createQueues(services.env.REDIS_URL!, services.env.QUEUE_PREFIX!);
  const runs: { period: string; at: number }[] = [];
  const worker = new Worker(
    queueNames.rollup,
    async (job) => void runs.push({ period: (job.data as { period: string }).period, at: Date.now() }),
    {
      connection: workerConnection(services.env.REDIS_URL!),
      prefix: services.env.QUEUE_PREFIX!,
    },
  );
  afterAll(async () => {
    await worker.close();
    await queues.close();
  });

  async function requestSteadily(
    period: string,
    maxWaitMs: number,
    forMs: number,
  ): Promise<{ started: number; stopped: number }> {
    const config = loadConfig({ ROLLUP_DEBOUNCE_MS: '1000', ROLLUP_MAX_WAIT_MS: String(maxWaitMs) });
    const dueSince = new Date();
    const started = Date.now();
    while (Date.now() - started < forMs) {
      await enqueueRollup(queues, { provinceCode: '11', period }, rollupDelay(dueSince, new Date(), config));
      await new Promise((r) => setTimeout(r, 50));
    }
    return { started, stopped: Date.now() };
  }

  const waitForRun = async (period: string) => {
    for (let i = 0; i < 200 && !runs.some((r) => r.period === period); i += 1)
      await new Promise((r) => setTimeout(r, 50));
  };

  it('without a cap within reach, the rollup waits until the requests stop and a quiet period has passed, then runs once', async () => {
    const { stopped } = await requestSteadily('2023-Q1', 60_000, 2500);
    expect(runs.filter((r) => r.period === '2023-Q1')).toEqual([]);
    await waitForRun('2023-Q1');
    await new Promise((r) => setTimeout(r, 300));
    const mine = runs.filter((r) => r.period === '2023-Q1');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.at - stopped).toBeGreaterThanOrEqual(900);
  });

  it('with a cap of 1.5 s, the rollup runs while the requests still come, no sooner than the cap', async () => {
    const { started, stopped } = await requestSteadily('2023-Q2', 1500, 3000);
    const during = runs.filter((r) => r.period === '2023-Q2' && r.at < stopped);
    expect(during.length).toBeGreaterThanOrEqual(1);
    expect(during[0]!.at - started).toBeGreaterThanOrEqual(1400);
  });
});
