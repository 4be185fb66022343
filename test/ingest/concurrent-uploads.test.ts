import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../src/accounts/tokens.ts';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, settled, snapshotRow, upload } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
});

describe('uploads sent at the same time', () => {
  it('share statements yet each gets its own id, file and token check, and the figures are those of one-by-one uploads', async () => {
    const files = await namPoFiles((n) => n.includes('2023-Q2'));
    expect(files).toHaveLength(30);
    // Each commune's officer with a token of their own; one revoked and one unknown token among them.
    const tokens = new Map<string, string>();
    for (const f of files) {
      const commune = f.name.slice(0, 5);
      if (!tokens.has(commune))
        tokens.set(commune, (await createToken(services.db, { level: 'commune', code: commune })).token);
    }
    const revoked = await createToken(services.db, { level: 'province', code: '11' });
    await revokeToken(services.db, revoked.id, new Date());

    const sent = await Promise.all([
      ...files.map((f) => upload(running.url!, tokens.get(f.name.slice(0, 5))!, [f])),
      upload(running.url!, revoked.token, [files[0]!]),
      upload(running.url!, 'th_unknown', [files[1]!]),
    ]);
    expect(sent.slice(-2).map((r) => r.status)).toEqual([401, 401]);
    const accepted = sent.slice(0, files.length);
    expect(accepted.map((r) => r.status)).toEqual(files.map(() => 202));
    const ids = accepted.map((r) => r.body.submissions[0].id as number);
    expect(new Set(ids).size).toBe(files.length);

    const stored = await services.db
      .selectFrom('submission as s')
      .innerJoin('submission_file as f', 'f.submission_id', 's.id')
      .select(['s.id', 's.filename', 's.sha256', 's.scope_code', 's.byte_size', 'f.bytes'])
      .execute();
    expect(stored).toHaveLength(files.length);
    const byId = new Map(stored.map((s) => [s.id, s]));
    files.forEach((f, i) => {
      const row = byId.get(ids[i]!)!;
      const sha = createHash('sha256').update(f.bytes).digest('hex');
      expect([
        row.filename,
        row.sha256,
        row.scope_code,
        row.byte_size,
        createHash('sha256').update(row.bytes).digest('hex'),
      ]).toEqual([f.name, sha, f.name.slice(0, 5), f.bytes.length, sha]);
      expect(accepted[i]!.body.submissions[0].sha256).toBe(sha);
    });

    await settled(services.db, running.deps.queues);
    const statuses = await services.db.selectFrom('submission').select('status').distinct().execute();
    expect(statuses).toEqual([{ status: 'accepted' }]);
    const fiber = await snapshotRow(services.db, 'district', '103', '2023-Q2', 'fiber_village_rate');
    expect([fiber.numerator, fiber.denominator]).toEqual([65, 121]);
  });
});
