import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

describe('the same Idempotency-Key sent again before the first answer', () => {
  it("(a client that stopped waiting and sent again) gets the first request's answer, not a 500 and not a second submission", async () => {
    const token = await tokenFor(services.db, 'province', '11');
    const [file] = await namPoFiles((n) => n.startsWith('03156-hts-xa'));
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => upload(running.url!, token, [file!], {}, { 'idempotency-key': 'sent-again' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    const ids = new Set(answers.map((a) => a.body.submissions[0].id));
    expect(ids.size).toBe(1);
    expect(await services.db.selectFrom('submission').select('id').execute()).toHaveLength(1);
  });
});
