import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/start.ts';
import { importUnitFile, namPo, namPoFiles, tokenFor, upload, type FileToSend } from '../support/builders.ts';
import { useServices } from '../support/services.ts';

/** "Check before sending", then "send this file" by the check id (issue 21 point 3): POST /v1/validate keeps the file, POST /v1/submissions takes `check`. */
const services = useServices();
let running: Running;
let file: FileToSend;

beforeAll(async () => {
  running = await services.start('ingest');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  file = (await namPoFiles((n) => n.startsWith('03156-hts-ban')))[0]!;
});

async function check(token: string, f: FileToSend = file, base = running.url!): Promise<any> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.from(f.bytes))]), f.name);
  const response = await fetch(new URL('/v1/validate', base), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

const submissionRows = () =>
  services.db
    .selectFrom('submission')
    .select(['id', 'filename', 'sha256', 'byte_size', 'given_commune', 'scope_code'])
    .orderBy('id')
    .execute();

describe('a file checked, then sent by its check id', () => {
  it('is stored as the same submission an upload makes, once per Idempotency-Key', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const checked = await check(token);
    expect(checked.results).toEqual([
      expect.objectContaining({ valid: true, commune: '03156', commune_name: 'Xã Nậm Tin' }),
    ]);
    expect(checked.checked).toEqual([
      { filename: file.name, check: expect.stringMatching(/^[0-9a-f]{64}$/u), expires_at: expect.any(String) },
    ]);
    const id = checked.checked[0].check;

    const before = (await submissionRows()).length;
    const sent = await Promise.all(
      [1, 2].map(() =>
        upload(running.url!, token, [], { check: id, commune: '03156' }, { 'idempotency-key': 'checked-once' }),
      ),
    );
    expect(sent.map((s) => s.status)).toEqual([202, 202]);
    expect(sent[0]!.body).toEqual(sent[1]!.body);
    const byCheck = (await submissionRows()).slice(before);
    expect(byCheck).toHaveLength(1);

    // The same file uploaded: the same row but for its id.
    const uploaded = await upload(running.url!, token, [file], { commune: '03156' });
    expect(uploaded.status).toBe(202);
    const [viaCheck, viaUpload] = (await submissionRows()).slice(before);
    const { id: _a, ...a } = viaCheck!;
    const { id: _b, ...b } = viaUpload!;
    expect(a).toEqual(b);
    expect(a.sha256).toBe(id);
    const bytes = await services.db
      .selectFrom('submission_file')
      .select('bytes')
      .where('submission_id', 'in', [viaCheck!.id, viaUpload!.id])
      .execute();
    expect(Buffer.compare(bytes[0]!.bytes, bytes[1]!.bytes)).toBe(0);
  });

  it('makes one submission: a check named twice in a request stores once, named again after its send is a 410', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const id = (await check(token)).checked[0].check;
    const before = (await submissionRows()).length;
    const twice = await upload(running.url!, token, [], { check: [id, id], commune: '03156' });
    expect(twice.status).toBe(202);
    expect(twice.body.submissions).toHaveLength(1);
    expect((await upload(running.url!, token, [], { check: id, commune: '03156' })).status).toBe(410);
    expect((await submissionRows()).length - before).toBe(1);
  });

  it('is only for the principal who checked it, and only until it expires: otherwise 410, and the page sends the bytes', async () => {
    const mine = await tokenFor(services.db, 'commune', '03156');
    const another = await tokenFor(services.db, 'commune', '03156');
    const id = (await check(mine)).checked[0].check;

    const stranger = await upload(running.url!, another, [], { check: id });
    expect(stranger.status).toBe(410);
    expect(stranger.body.error.code).toBe('TONGHOP_ERR_CHECK_GONE');
    expect(stranger.body.error.message.vi).toMatch(/Hãy gửi lại chính tệp đó/u);

    // Its time runs out (as if half an hour went by): gone for its owner too.
    await services.db
      .updateTable('checked_file')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('sha256', '=', id)
      .execute();
    const late = await upload(running.url!, mine, [], { check: id });
    expect(late.status).toBe(410);
    // The next check clears what has expired, anyone's.
    await check(another);
    expect(
      await services.db.selectFrom('checked_file').select('principal').where('expires_at', '<=', new Date()).execute(),
    ).toEqual([]);
  });

  it('keeps nothing of a file with nothing valid in it, and refuses a check id that is not one', async () => {
    const token = await tokenFor(services.db, 'commune', '03156');
    const broken = { name: 'hong.csv', bytes: 'a,b\n1,2\n' };
    expect((await check(token, broken)).checked).toEqual([]);
    expect((await upload(running.url!, token, [], { check: '../etc/passwd' })).status).toBe(400);
  });

  it('outlives a restart (kept in Postgres), keeps at most CHECKED_FILE_MAX_BYTES a principal (oldest dropped), expires after CHECKED_FILE_TTL_S', async () => {
    const quarters = ['Quý I/2023', 'Quý III/2023', 'Quý IV/2023'];
    const files = quarters.map((q, i) => ({
      name: `q${i}.csv`,
      bytes: Buffer.from(Buffer.from(file.bytes).toString('utf8').replaceAll('Quý II/2023', q)),
    }));
    let clock = new Date();
    const checking = await services.start(
      'ingest',
      { CHECKED_FILE_MAX_BYTES: Math.max(...files.map((f) => f.bytes.length)) * 2 + 10, CHECKED_FILE_TTL_S: 60 },
      { now: () => clock },
    );
    const token = await tokenFor(services.db, 'commune', '03156');
    const ids: string[] = [];
    for (const f of files) {
      ids.push((await check(token, f, checking.url!)).checked[0].check);
      clock = new Date(clock.getTime() + 1000);
    }
    // Room for two: the oldest is gone; the others are sent through the first process, as after a restart.
    expect((await upload(running.url!, token, [], { check: ids[0]! })).status).toBe(410);
    expect((await upload(running.url!, token, [], { check: ids[1]! })).status).toBe(202);
    // A minute on, the last is gone too.
    clock = new Date(clock.getTime() + 61_000);
    expect((await upload(checking.url!, token, [], { check: ids[2]! })).status).toBe(410);
    expect((await upload(checking.url!, token, [files[2]!])).status).toBe(202);
  });
});
