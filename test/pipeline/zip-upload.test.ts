import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { submitFiles } from '../../src/cli/submit.ts';
import type { Running } from '../../src/start.ts';
import { importUnits, unitsFromCsv } from '../../src/units/import.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  snapshotRow,
  tokenFor,
  upload,
  type FileToSend,
} from '../support/builders.ts';
import { wordDocument, zipOf, type ZipPart } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let province: string;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  await importUnits(
    services.db,
    unitsFromCsv(
      'province_code,province_name,district_code,district_name,commune_code,commune_name\n12,Lai Châu,121,Huyện Thử,12101,Xã Thử\n',
    ),
  );
  province = await tokenFor(services.db, 'province', '11');
});

/** The fixture files of Nậm Pồ, their period moved (so that a test's reports are not duplicates of another's). */
async function namPoIn(period: string, filter: (name: string) => boolean = () => true): Promise<FileToSend[]> {
  return (await namPoFiles(filter)).map((f) => ({
    name: f.name.replace('2023-Q2', period),
    bytes: Buffer.from(f.bytes.toString('utf8').replaceAll('2023-Q2', period).replaceAll('Quý II/2023', period)),
  }));
}
const part = (name: string, data: Buffer | string): ZipPart => ({ name, data: Buffer.from(data) });
const docx = wordDocument();

describe('a ZIP of many report files, uploaded in one request', () => {
  it('the 30 Nậm Pồ files in folders, from a province token: 30 submissions, all accepted, the golden figures; __MACOSX and dot-files skipped', async () => {
    const files = await namPoFiles();
    expect(files).toHaveLength(30);
    const archive = zipOf([
      part('nam-po/', ''),
      ...files.map((f) => part(`nam-po/${f.name.slice(0, 5)}/${f.name}`, f.bytes)),
      part('__MACOSX/nam-po/._03156-hts-ban-2023-Q2.csv', Buffer.from([0, 5, 22, 7, 0, 2, 0, 0])),
      part('nam-po/.DS_Store', Buffer.from([0, 0, 0, 1, 66, 117, 100, 49])),
      part('.~lock.bao-cao.xlsx#', 'x'),
    ]);
    const r = await upload(running.url!, province, [{ name: 'nam-po-2023-Q2.zip', bytes: archive }]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.refused).toEqual([]);
    expect(r.body.submissions).toHaveLength(30);
    expect(r.body.submissions.map((s: any) => s.filename)).toEqual(
      files.map((f) => `nam-po/${f.name.slice(0, 5)}/${f.name}`),
    );
    expect(new Set(r.body.submissions.map((s: any) => s.archive))).toEqual(new Set(['nam-po-2023-Q2.zip']));
    await settled(services.db, running.deps.queues);

    const statuses = await services.db
      .selectFrom('submission')
      .select(['status', 'filename', 'errors'])
      .where(
        'id',
        'in',
        r.body.submissions.map((s: any) => s.id),
      )
      .execute();
    expect(
      statuses.filter((s) => s.status !== 'accepted'),
      JSON.stringify(statuses.filter((s) => s.status !== 'accepted')),
    ).toEqual([]);
    const district = (indicator: string) => snapshotRow(services.db, 'district', '103', '2023-Q2', indicator);
    expect(await district('villages_total')).toMatchObject({
      numerator: 121,
      value: 121,
      communes_reporting: 15,
      communes_expected: 15,
    });
    expect(await district('fiber_village_rate')).toMatchObject({ numerator: 65, denominator: 121 });
    expect(await district('mobile_village_rate')).toMatchObject({ numerator: 112, denominator: 121 });
    expect(await district('mobile_3g_village_rate')).toMatchObject({ numerator: 107, denominator: 121 });
    expect(await district('specialized_network_commune_rate')).toMatchObject({
      numerator: 15,
      denominator: 15,
      value: 1,
    });
    expect((await district('staff_computer_rate')).value).toBe(1);
    expect((await district('smartphone_rate')).value).toBeCloseTo(0.47, 2);
    expect((await district('epayment_rate')).value).toBeGreaterThan(0.22);
    console.log(
      `ZIP of ${files.length} Nậm Pồ files: ${r.body.submissions.length} submissions, ${statuses.filter((s) => s.status === 'accepted').length} ` +
        `accepted; villages 121, fibre 65/121`,
    );
  }, 120_000);

  it('a file of another province in the archive is rejected by name as forbidden, the others accepted, and it is not filed under that commune', async () => {
    const files = await namPoIn('2023-Q3', (n) => /^0315[6]|^03165/u.test(n));
    const [xa] = await namPoIn('2023-Q3', (n) => n.startsWith('03156-hts-xa'));
    const foreign = part('xa-khac/12101-hts-xa-2023-Q3.json', xa!.bytes.toString('utf8').replace('03156', '12101'));
    const r = await upload(running.url!, province, [
      { name: 'huyen.zip', bytes: zipOf([...files.map((f) => part(f.name, f.bytes)), foreign]) },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.submissions).toHaveLength(5);
    await settled(services.db, running.deps.queues);
    const outcomes = await Promise.all(
      r.body.submissions.map(async (s: any) => (await getJson(running.url!, province, `/v1/submissions/${s.id}`)).body),
    );
    const byName = new Map(outcomes.map((o: any) => [o.filename, o]));
    expect([...byName.keys()].sort()).toEqual(
      [...files.map((f) => f.name), 'xa-khac/12101-hts-xa-2023-Q3.json'].sort(),
    );
    const rejected = outcomes.filter((o: any) => o.status !== 'accepted');
    expect(rejected.map((o: any) => [o.filename, o.status, o.errors.map((e: any) => e.code)])).toEqual([
      ['xa-khac/12101-hts-xa-2023-Q3.json', 'rejected', ['META_FORBIDDEN']],
    ]);
    expect(rejected[0].errors[0].value).toBe('12101');

    const other = await tokenFor(services.db, 'province', '12');
    const id = byName.get('xa-khac/12101-hts-xa-2023-Q3.json').id;
    expect((await getJson(running.url!, other, `/v1/submissions/${id}`)).status).toBe(404);
    expect((await getJson(running.url!, other, `/v1/submissions/${id}/file`)).status).toBe(403);
    expect((await getJson(running.url!, other, '/v1/submissions?commune=12101')).body.submissions).toEqual([]);
  }, 120_000);

  it('an archive inside it, a .docx, a PDF and a damaged file are refused by name, each with its reason; the report beside them is taken', async () => {
    const [good] = await namPoIn('2023-Q4', (n) => n.startsWith('03156-hts-xa'));
    const damaged = { ...part('xa/03165.csv', 'commune,period\n03165,2023-Q4\n'), crc: 12345 };
    const archive = zipOf([
      part(`xa/${good!.name}`, good!.bytes),
      part('xa/bao-cao.docx', docx),
      part('xa/cong-van.pdf', '%PDF-1.4\n%\xe2\xe3\n'),
      part('xa/thang-6.zip', zipOf([part('a.csv', 'a,b\n')])),
      damaged,
    ]);
    const r = await upload(running.url!, province, [{ name: 'huyen.zip', bytes: archive }]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.submissions.map((s: any) => s.filename)).toEqual([`xa/${good!.name}`]);
    expect(r.body.refused.map((x: any) => [x.filename, x.archive, x.code])).toEqual([
      ['xa/03165.csv', 'huyen.zip', 'TONGHOP_ERR_ARCHIVE_CORRUPT'],
      ['xa/bao-cao.docx', 'huyen.zip', 'TONGHOP_ERR_UNSUPPORTED_FILE'],
      ['xa/cong-van.pdf', 'huyen.zip', 'TONGHOP_ERR_UNSUPPORTED_FILE'],
      ['xa/thang-6.zip', 'huyen.zip', 'TONGHOP_ERR_ARCHIVE_NESTED'],
    ]);
    const nested = r.body.refused.find((x: any) => x.code === 'TONGHOP_ERR_ARCHIVE_NESTED');
    expect(nested.message.vi).toMatch(/^huyen\.zip\/xa\/thang-6\.zip: Tệp nén nằm trong tệp nén/u);
    expect(nested.message.en).toMatch(/^huyen\.zip\/xa\/thang-6\.zip: An archive inside an archive/u);
    expect(r.body.refused[0].message.en).toMatch(/^huyen\.zip\/xa\/03165\.csv: .*CRC/u);
  });

  it('an archive over a limit (files, bytes, ratio) is refused by name, and alone it is a 413; the files of one request share one budget', async () => {
    const small = await services.start('ingest', {
      MAX_ARCHIVE_ENTRIES: 3,
      MAX_ARCHIVE_BYTES: 20_000,
      MAX_ARCHIVE_RATIO: 20,
    });
    const [xa] = await namPoIn('2024-Q1', (n) => n.startsWith('03156-hts-xa'));
    const four = zipOf(['a', 'b', 'c', 'd'].map((n) => part(`${n}.json`, xa!.bytes)));
    const many = await upload(small.url!, province, [{ name: 'bon-tep.zip', bytes: four }]);
    expect(many.status).toBe(413);
    expect(many.body.error.code).toBe('TONGHOP_ERR_ARCHIVE_LIMIT');
    expect(many.body.error.details[0].message.vi).toMatch(
      /^bon-tep\.zip: Vượt giới hạn số tệp trong tệp nén.*: 4 \(tối đa 3\)/u,
    );

    const bomb = await upload(small.url!, province, [
      { name: 'bom.zip', bytes: zipOf([{ ...part('a.csv', 'a,b\n'), declaredSize: 4_000_000_000 }]) },
    ]);
    expect([bomb.status, bomb.body.error.code]).toEqual([413, 'TONGHOP_ERR_ARCHIVE_LIMIT']);
    expect(bomb.body.error.details[0].message.en).toMatch(/uncompressed size.*4000000000/u);
    const zeros = await upload(small.url!, province, [
      { name: 'nen.zip', bytes: zipOf([part('a.csv', Buffer.alloc(19_000, 0x20))]) },
    ]);
    expect([zeros.status, zeros.body.error.details[0].message.en]).toEqual([
      413,
      expect.stringMatching(/^nen\.zip: Over the compression ratio/u),
    ]);
    const understated = await upload(small.url!, province, [
      { name: 'gia.zip', bytes: zipOf([{ ...part('a.csv', Buffer.from('a,b\n'.repeat(2000))), declaredSize: 100 }]) },
    ]);
    expect(understated.body.error.details[0].message.en).toMatch(/^gia\.zip\/a\.csv: .*larger than declared/u);

    // Two archives of two files each: the second passes the request's budget of three.
    const two = zipOf(['a', 'b'].map((n) => part(`${n}.json`, xa!.bytes)));
    const both = await upload(small.url!, province, [
      { name: 'mot.zip', bytes: two },
      { name: 'hai.zip', bytes: two },
      { name: xa!.name, bytes: xa!.bytes },
    ]);
    expect(both.status).toBe(202);
    expect(both.body.submissions.map((s: any) => s.filename)).toEqual(['a.json', 'b.json', xa!.name]);
    expect(both.body.refused.map((x: any) => [x.filename, x.code])).toEqual([['hai.zip', 'TONGHOP_ERR_ARCHIVE_LIMIT']]);
    const stored = await services.db
      .selectFrom('submission')
      .select('id')
      .where('filename', 'in', ['c.json', 'd.json'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('an Idempotency-Key replay of a ZIP upload returns the original answer, refusals included, and stores nothing more', async () => {
    const files = await namPoIn('2024-Q2', (n) => n.startsWith('0315'));
    const archive = zipOf([...files.map((f) => part(f.name, f.bytes)), part('bao-cao.docx', docx)]);
    const send = () =>
      upload(running.url!, province, [{ name: 'quy-2.zip', bytes: archive }], {}, { 'idempotency-key': 'zip-quy-2' });
    const first = await send();
    expect(first.status).toBe(202);
    expect(first.body.submissions).toHaveLength(files.length);
    expect(first.body.refused.map((x: any) => x.filename)).toEqual(['bao-cao.docx']);
    const count = async () =>
      (
        await services.db
          .selectFrom('submission')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    const again = await fetch(new URL('/v1/submissions', running.url!), {
      method: 'POST',
      headers: { authorization: `Bearer ${province}`, 'idempotency-key': 'zip-quy-2' },
      body: (() => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(archive)]), 'quy-2.zip');
        return form;
      })(),
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(await again.json()).toEqual(first.body);
    expect(await count()).toBe(before);
  });

  it('tonghop submit sends an archive and a .docx: the archive’s files are followed one by one, the .docx is named as not taken, and it exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tonghop-submit-'));
    const files = await namPoIn('2024-Q3', (n) => n.startsWith('03156'));
    await writeFile(join(dir, 'xa.zip'), zipOf(files.map((f) => part(`03156/${f.name}`, f.bytes))));
    await writeFile(join(dir, 'cong-van.docx'), docx);
    let printed = '';
    const out = new Writable({ write: (chunk, _enc, done) => void ((printed += String(chunk)), done()) });
    const code = await submitFiles({
      url: running.url!,
      token: province,
      files: [join(dir, 'xa.zip'), join(dir, 'cong-van.docx')],
      given: {},
      out,
      waitSeconds: 60,
    });
    expect(code).toBe(1);
    for (const f of files)
      expect(printed).toMatch(new RegExp(`xa\\.zip/03156/${f.name.replaceAll('.', '\\.')}\\s+\\d+\\s+accepted`, 'u'));
    expect(printed).toContain('cong-van.docx: Chỉ nhận tệp Excel');
    expect(printed).toContain('cong-van.docx: Only Excel');
    expect(printed).toMatch(/3 tệp \/ files: 2 ok, 0 bị từ chối \/ rejected, 1 không được nhận \/ not taken/u);
  }, 120_000);
});
