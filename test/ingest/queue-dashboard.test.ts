import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { enqueueNormalize } from '../../src/queue/queues.ts';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload, waitFor } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let admin: string;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  admin = await tokenFor(services.db, 'admin');
});

const get = (url: string, headers: Record<string, string> = {}) => running.app!.inject({ method: 'GET', url, headers });

describe('the queue dashboard at /admin/queues', () => {
  it('answers 401 without the admin token, 403 to a province token, and the dashboard to the admin token', async () => {
    expect((await get('/admin/queues')).statusCode).toBe(401);
    expect((await get('/admin/queues/api/queues')).statusCode).toBe(401);
    expect((await get('/admin/queues', { authorization: 'Bearer th_not-a-token' })).statusCode).toBe(401);
    const province = await tokenFor(services.db, 'province', '11');
    expect((await get('/admin/queues', { authorization: `Bearer ${province}` })).statusCode).toBe(403);
    expect((await get('/admin/queues/api/queues', { authorization: `Bearer ${province}` })).statusCode).toBe(403);

    const page = await get('/admin/queues', { authorization: `Bearer ${admin}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/u);
    expect(page.body).toContain('/admin/queues');
    const api = await get('/admin/queues/api/queues', { authorization: `Bearer ${admin}` });
    expect(api.statusCode).toBe(200);
    expect(
      api
        .json()
        .queues.map((q: { name: string }) => q.name)
        .sort(),
    ).toEqual(['normalize', 'rollup']);
  });

  it('opens in a browser from a ?token= link: the token moves into an HttpOnly cookie and out of the address', async () => {
    const link = await get(`/admin/queues?token=${encodeURIComponent(admin)}`);
    expect(link.statusCode).toBe(303);
    expect(link.headers.location).toBe('/admin/queues');
    const cookie = String(link.headers['set-cookie']);
    expect(cookie).toMatch(/^tonghop_admin=/u);
    expect(cookie).toMatch(/HttpOnly/u);
    expect(cookie).toMatch(/SameSite=Strict/u);
    expect(cookie).toMatch(/Path=\/admin\/queues/u);
    const session = { cookie: cookie.split(';')[0]! };
    expect((await get('/admin/queues/api/queues', session)).statusCode).toBe(200);
    // The page's scripts load with the cookie alone, as a browser sends it.
    const page = await get('/admin/queues', session);
    const script = /src="(static\/js\/main[^"]+)"/u.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = await get(`/admin/queues/${script}`, session);
    expect(asset.statusCode).toBe(200);
    expect((await get(`/admin/queues/${script}`)).statusCode).toBe(401);
    expect((await get(`/admin/queues?token=wrong`)).statusCode).toBe(401);
  });

  it('retries failed jobs: a job that failed before its submission existed decides it once retried', async () => {
    const queues = running.deps.queues;
    // The job of submission 1 runs before the row exists and fails for good (UnrecoverableError).
    await enqueueNormalize(queues, 1);
    await waitFor(async () => (await queues.normalize.getJobCounts('failed')).failed === 1, 'the job to fail');
    // Now submission 1 is stored; its job id is taken by the failed job, so nothing runs it.
    const province = await tokenFor(services.db, 'province', '11');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    const sent = await upload(running.url!, province, [file!]);
    expect(sent.body.submissions[0].id).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      (await services.db.selectFrom('submission').select('status').where('id', '=', 1).executeTakeFirstOrThrow())
        .status,
    ).toBe('queued');

    const retry = await running.app!.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/normalize/retry/failed',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ retried: 1 });
    await waitFor(
      async () =>
        (await services.db.selectFrom('submission').select('status').where('id', '=', 1).executeTakeFirstOrThrow())
          .status === 'accepted',
      'submission 1 accepted',
    );
    expect((await queues.normalize.getJobCounts('failed')).failed).toBe(0);
  });
});
