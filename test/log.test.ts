import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../src/log.ts';
import { start, type Running } from '../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, tokenFor, upload } from './support/builders.ts';
import { useServices } from './support/services.ts';

const services = useServices();
let running: Running | undefined;
afterAll(async () => running?.stop());

function capture() {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logs', () => {
  it('never carry a token, password or cookie', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    log.info(
      {
        req: {
          method: 'GET',
          url: '/admin/queues?token=th_secret1&page=2',
          headers: { authorization: 'Bearer th_secret2', cookie: 'tonghop_admin=th_secret3' },
        },
      },
      'request',
    );
    log.info(
      {
        token: 'th_secret4',
        user: { password: 'secret5' },
        config: { TONGHOP_TOKEN: 'th_secret6' },
        headers: { authorization: 'Bearer th_secret7' },
      },
      'objects',
    );
    const text = out.lines.join('');
    expect(text).not.toMatch(/secret/u);
    expect(out.records()[0]!.req).toEqual({ method: 'GET', url: '/admin/queues?token=[redacted]&page=2' });
    expect(redactUrl('postgres://tonghop:pa55@db:5432/tonghop')).toBe('postgres://tonghop:[redacted]@db:5432/tonghop');
    expect(redactUrl('redis://:pa55@redis:6379')).toBe('redis://:[redacted]@redis:6379');
    expect(redactUrl('/v1/snapshots?period=2023-Q2')).toBe('/v1/snapshots?period=2023-Q2');
  });

  it('of the pipeline carry submission id, job id, commune and period, and the dashboard link token is not logged', async () => {
    const out = capture();
    running = await start(services.config, 'all', { log: createLogger('info', out.stream) });
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const token = await tokenFor(services.db, 'province', '11');
    const admin = await tokenFor(services.db, 'admin');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const sent = await upload(running.url!, token, [file!]);
    await settled(services.db, running.deps.queues);
    await fetch(new URL(`/admin/queues?token=${admin}`, running.url!), { redirect: 'manual' });

    const records = out.records();
    const decided = records.find((r) => r.msg === 'submission decided');
    expect(decided).toMatchObject({
      submissionId: sent.body.submissions[0].id,
      jobId: `sub-${sent.body.submissions[0].id}`,
      queue: 'normalize',
      commune: '03156',
      period: '2023-Q2',
      status: 'accepted',
    });
    const rolled = records.find((r) => r.msg === 'rollup done');
    expect(rolled).toMatchObject({ queue: 'rollup', province: '11', period: '2023-Q2', changed: true });
    expect(rolled!.jobId).toBeDefined();
    expect(records.find((r) => r.msg === 'submissions stored')).toMatchObject({
      submissionIds: [sent.body.submissions[0].id],
    });
    expect(records.some((r) => (r.req as { url?: string } | undefined)?.url === '/admin/queues?token=[redacted]')).toBe(
      true,
    );
    expect(out.lines.join('')).not.toContain(admin);
    expect(out.lines.join('')).not.toContain(token);
  });
});
