import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { watchQueueHealth } from '../../src/cli/queues.ts';
import { enqueueNormalize } from '../../src/queue/queues.ts';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload, waitFor } from '../support/builders.ts';
import { runTonghop } from '../support/child.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

const statusOf = async (id: number) =>
  (await services.db.selectFrom('submission').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('tonghop queues', () => {
  it('prints each queue with its jobs by state and its workers', async () => {
    const { code, stdout } = await runTonghop(['queues'], services.env);
    expect(code).toBe(0);
    const [head, , normalize, rollup] = stdout.split('\n');
    expect(head!.split(/\s+/u)).toEqual(['queue', 'waiting', 'active', 'delayed', 'failed', 'completed', 'workers']);
    expect(normalize!.split(/\s+/u)).toEqual(['normalize', '0', '0', '0', '0', '0', '1']);
    expect(rollup!.split(/\s+/u)[0]).toBe('rollup');
  });

  it('--watch redraws the table until stopped', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const stop = new AbortController();
    const watching = watchQueueHealth(running.deps.queues, 0.05, out, stop.signal);
    await waitFor(async () => written.split('\x1b[2J').length > 3, 'three redraws');
    stop.abort();
    await watching;
    expect(written).toMatch(/every 0\.05s, Ctrl-C to stop/u);
    expect(written.match(/^normalize\s/gmu)!.length).toBeGreaterThanOrEqual(3);
  });

  it('retry moves failed jobs back to waiting, and the workers decide their submissions', async () => {
    const queues = running.deps.queues;
    // The job of submission 1 ran before its row existed and failed for good; the row now waits.
    await enqueueNormalize(queues, 1);
    await waitFor(async () => (await queues.normalize.getJobCounts('failed')).failed === 1, 'the job to fail');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    expect(
      (await upload(running.url!, await tokenFor(services.db, 'province', '11'), [file!])).body.submissions[0].id,
    ).toBe(1);
    expect(await statusOf(1)).toBe('queued');

    const { code, stdout } = await runTonghop(['queues', 'retry', '--queue', 'normalize'], services.env);
    expect(code).toBe(0);
    expect(stdout).toBe('normalize: 1 failed job moved back to waiting');
    await waitFor(async () => (await statusOf(1)) === 'accepted', 'submission 1 accepted');

    const again = await runTonghop(['queues', 'retry'], services.env);
    expect(again.stdout.split('\n')).toEqual([
      'normalize: 0 failed jobs moved back to waiting',
      'rollup: 0 failed jobs moved back to waiting',
    ]);
    expect((await runTonghop(['queues', 'retry', '--queue', 'nope'], services.env)).code).not.toBe(0);
  });
});
