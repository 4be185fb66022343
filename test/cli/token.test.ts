import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { getJson, importUnitFile, namPo } from '../support/builders.ts';
import { spawnTonghop } from '../support/processes.ts';
import { useServices } from '../support/services.ts';

const services = useServices();

async function tonghop(...args: string[]): Promise<{ code: number | null; output: string }> {
  const p = spawnTonghop(args, services.env);
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('tonghop token', () => {
  it('create prints the token once, list shows scopes but never a secret, revoke makes it 401 at once', async () => {
    const running = await services.start('ingest');
    await importUnitFile(services.db, join(namPo, 'units.csv'));
    const created = await tonghop('token', 'create', '--province', '11', '--label', 'máy chủ tỉnh Điện Biên');
    expect(created.code).toBe(0);
    const token = created.output.split('\n').find((l) => l.startsWith('th_'))!;
    const id = /token (\d+) \(province 11\) created/u.exec(created.output)![1]!;
    expect((await getJson(running.url!, token, '/v1/snapshots?period=2023-Q2')).status).toBe(200);

    const listed = await tonghop('token', 'list');
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(new RegExp(`^${id}\\s+province\\s+11\\s+máy chủ tỉnh Điện Biên`, 'mu'));
    const { token_hash } = await services.db
      .selectFrom('api_token')
      .select('token_hash')
      .where('id', '=', Number(id))
      .executeTakeFirstOrThrow();
    expect(listed.output).not.toContain(token);
    expect(listed.output).not.toContain(token_hash);

    const revoked = await tonghop('token', 'revoke', id);
    expect(revoked).toMatchObject({ code: 0 });
    expect(revoked.output).toContain(`token ${id} revoked`);
    const after = await getJson(running.url!, token, '/v1/snapshots?period=2023-Q2');
    expect(after.status).toBe(401);
    expect(JSON.stringify(after.body)).not.toContain(token);
    const row = await services.db
      .selectFrom('api_token')
      .select('revoked_at')
      .where('id', '=', Number(id))
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);

    const again = await tonghop('token', 'revoke', id);
    expect(again.code).toBe(1);
    expect(again.output).toContain(`no active token ${id}`);
  });
});
