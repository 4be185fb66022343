import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { start, type Running } from '../../src/start.ts';
import {
  getJson,
  importUnitFile,
  namPo,
  namPoFiles,
  settled,
  tokenFor,
  upload,
  type FileToSend,
} from '../support/builders.ts';
import { wordDocument, zipOf } from '../support/report-files.ts';
import { useServices } from '../support/services.ts';

const services = useServices();
let running: Running;
let token: string;

beforeAll(async () => {
  running = await services.start('all');
  await importUnitFile(services.db, join(namPo, 'units.csv'));
  token = await tokenFor(services.db, 'province', '11');
});

const docx: FileToSend = { name: 'cong-van.docx', bytes: wordDocument() };
const oldExcelHeader = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The `.xls` case waits on the XLS reader (issue 15, the `xlsods` work). Until it lands an .xls is
 * refused by name; once src/report/read/xls/ exists, a real Excel 97–2003 file made by LibreOffice
 * from a fixture CSV is expected to be taken and accepted.
 */
const xlsReadable = existsSync(new URL('../../src/report/read/xls/', import.meta.url));
async function xlsOf(csvName: string): Promise<FileToSend> {
  if (!xlsReadable) return { name: 'bao-cao.xls', bytes: Buffer.concat([oldExcelHeader, Buffer.alloc(2048)]) };
  const dir = await mkdtemp(join(tmpdir(), 'tonghop-xls-'));
  await writeFile(join(dir, 'bao-cao.csv'), await readFile(join(namPo, csvName)));
  execFileSync(
    'soffice',
    ['--headless', '--infilter=CSV:44,34,76', '--convert-to', 'xls', '--outdir', dir, join(dir, 'bao-cao.csv')],
    { timeout: 120_000, stdio: 'ignore' },
  );
  return { name: 'bao-cao.xls', bytes: await readFile(join(dir, 'bao-cao.xls')) };
}

describe('one upload, many outcomes', () => {
  it('a good CSV, a .docx, an .xls and a web page named .csv at once: the CSV accepted, the others refused by name, in Vietnamese, English', async () => {
    const [csv] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const xls = await xlsOf('03165-hts-ban-2023-Q2.csv');
    const page: FileToSend = {
      name: 'bao-cao.csv',
      bytes: '<html><body><table><tr><td>Tên thôn/bản</td></tr></table></body></html>',
    };
    const r = await upload(running.url!, token, [csv!, docx, xls, page]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const refused = r.body.refused.map((x: any) => [x.filename, x.code]);
    expect(refused).toContainEqual(['cong-van.docx', 'TONGHOP_ERR_UNSUPPORTED_FILE']);
    expect(refused).toContainEqual(['bao-cao.csv', 'TONGHOP_ERR_UNSUPPORTED_FILE']);
    const word = r.body.refused.find((x: any) => x.filename === 'cong-van.docx');
    expect(word.message.vi).toBe(
      'cong-van.docx: Chỉ nhận tệp Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON, hoặc tệp nén .zip chứa các tệp đó.',
    );
    expect(word.message.en).toBe(
      'cong-van.docx: Only Excel (.xlsx, .xls), LibreOffice (.ods), CSV or JSON files are accepted, or a .zip archive of such files.',
    );
    if (xlsReadable) expect(r.body.submissions.map((s: any) => s.filename)).toEqual([csv!.name, 'bao-cao.xls']);
    else {
      expect(r.body.submissions.map((s: any) => s.filename)).toEqual([csv!.name]);
      expect(refused).toContainEqual(['bao-cao.xls', 'TONGHOP_ERR_OLD_EXCEL']);
    }
    await settled(services.db, running.deps.queues);
    for (const s of r.body.submissions)
      expect((await getJson(running.url!, token, `/v1/submissions/${s.id}`)).body.status).toBe('accepted');
    const stored = await services.db.selectFrom('submission').select('filename').execute();
    expect(stored.map((s) => s.filename)).not.toContain('cong-van.docx');
  }, 180_000);

  it('files are taken by what they are, not by their name: a CSV named .xlsx is read; a PNG, a PDF or random bytes named .csv are refused', async () => {
    const [xa] = await namPoFiles((n) => n.startsWith('03167-hts-xa'));
    const [ban] = await namPoFiles((n) => n.startsWith('03167-hts-ban'));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
    const r = await upload(running.url!, token, [
      { name: 'bao-cao.xlsx', bytes: ban!.bytes },
      { name: 'bao-cao.exe', bytes: xa!.bytes },
      { name: 'anh.csv', bytes: png },
      { name: 'cong-van.csv', bytes: '%PDF-1.7\n1 0 obj\n' },
      { name: 'rac.csv', bytes: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)) },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.submissions.map((s: any) => s.filename)).toEqual(['bao-cao.xlsx', 'bao-cao.exe']);
    expect(r.body.refused.map((x: any) => [x.filename, x.code])).toEqual([
      ['anh.csv', 'TONGHOP_ERR_UNSUPPORTED_FILE'],
      ['cong-van.csv', 'TONGHOP_ERR_UNSUPPORTED_FILE'],
      ['rac.csv', 'TONGHOP_ERR_UNSUPPORTED_FILE'],
    ]);
    await settled(services.db, running.deps.queues);
    for (const s of r.body.submissions)
      expect((await getJson(running.url!, token, `/v1/submissions/${s.id}`)).body.status).toBe('accepted');
  });

  it('when no file of a request is taken it fails as a whole, with the first refusal’s status and every file named, and nothing is stored', async () => {
    const before = await services.db.selectFrom('submission').select('id').execute();
    const r = await upload(running.url!, token, [
      docx,
      { name: 'anh.png', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) },
    ]);
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('TONGHOP_ERR_UNSUPPORTED_FILE');
    expect(r.body.error.details.map((x: any) => x.message.vi.split(':')[0])).toEqual(['cong-van.docx', 'anh.png']);
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual(before);
  });

  it('a 415 says which it is, on /v1/submissions and /v1/validate alike: not multipart at all, or no file of a kind read, named', async () => {
    const send = (route: string, body: string | FormData, contentType?: string) =>
      fetch(new URL(route, running.url!), {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const unreadable = new FormData();
    const pdfInZip = zipOf([{ name: 'xa/cong-van.pdf', data: Buffer.from('%PDF-1.7\n1 0 obj\n') }]);
    for (const f of [
      docx,
      { name: 'huyen.zip', bytes: pdfInZip },
      { name: 'anh.png', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) },
    ])
      unreadable.append('file', new Blob([new Uint8Array(Buffer.from(f.bytes))]), f.name);
    for (const route of ['/v1/submissions', '/v1/validate']) {
      for (const [body, type] of [
        ['{}', 'application/json'],
        ['commune,period\n03156,2023-Q2\n', 'text/csv'],
      ] as const) {
        const r = await send(route, body, type);
        expect(r.status, `${route} ${type}`).toBe(415);
        expect(r.body.error).toEqual({
          code: 'TONGHOP_ERR_NOT_MULTIPART',
          message: {
            vi: 'Yêu cầu không ở dạng multipart/form-data: hãy gửi tệp trong trường "file" của một yêu cầu multipart/form-data.',
            en: 'The request is not multipart/form-data: send the files in the "file" field of a multipart/form-data request.',
          },
        });
      }
      const r = await send(route, unreadable);
      expect(r.status, route).toBe(415);
      expect(r.body.error.code).toBe('TONGHOP_ERR_UNSUPPORTED_FILE');
      expect(r.body.error.message).toEqual({
        vi:
          'Không có tệp nào được nhận. Tệp không thuộc loại đọc được: cong-van.docx, huyen.zip/xa/cong-van.pdf, anh.png. ' +
          'Chỉ nhận tệp Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON, hoặc tệp nén .zip chứa các tệp đó.',
        en:
          'No file was taken. Not of a kind the service reads: cong-van.docx, huyen.zip/xa/cong-van.pdf, anh.png. ' +
          'Only Excel (.xlsx, .xls), LibreOffice (.ods), CSV or JSON files are accepted, or a .zip archive of such files.',
      });
      expect(r.body.error.details.map((x: any) => x.message.en.split(':')[0])).toEqual([
        'cong-van.docx',
        'huyen.zip/xa/cong-van.pdf',
        'anh.png',
      ]);
    }
  });

  it('a file over the size limit is refused by name and the files beside it are stored', async () => {
    const small = await services.start('ingest', { MAX_FILE_BYTES: 2000 });
    const [xa] = await namPoFiles((n) => n.startsWith('03168-hts-xa'));
    const r = await upload(small.url!, token, [{ name: 'lon.csv', bytes: 'x'.repeat(5000) }, xa!]);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.submissions.map((s: any) => s.filename)).toEqual([xa!.name]);
    expect(r.body.refused).toEqual([
      {
        filename: 'lon.csv',
        code: 'TONGHOP_ERR_FILE_TOO_LARGE',
        message: {
          vi: 'lon.csv: Tệp quá lớn (tối đa 2000 byte).',
          en: 'lon.csv: The file is too large (at most 2000 bytes).',
        },
      },
    ]);
  });

  it('POST /v1/validate gives each file its own result, a ZIP archive’s files one by one, and names the files it does not read', async () => {
    const [ban] = await namPoFiles((n) => n.startsWith('03156-hts-ban'));
    const [xa, other] = await namPoFiles((n) => n.startsWith('03165-hts') || n.startsWith('03166-hts-xa'));
    const form = new FormData();
    for (const f of [
      ban!,
      {
        name: 'xa.zip',
        bytes: zipOf([
          { name: 'a/' + xa!.name, data: Buffer.from(xa!.bytes) },
          { name: 'a/' + other!.name, data: Buffer.from('Tên thôn/bản\n') },
        ]),
      },
      docx,
    ]) {
      form.append('file', new Blob([new Uint8Array(Buffer.from(f.bytes))]), f.name);
    }
    const response = await fetch(new URL('/v1/validate', running.url!), {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body.results.map((x: any) => [x.filename, x.archive ?? null, x.valid])).toEqual([
      [ban!.name, null, true],
      [`a/${xa!.name}`, 'xa.zip', true],
      [`a/${other!.name}`, 'xa.zip', false],
    ]);
    expect(body.refused.map((x: any) => x.filename)).toEqual(['cong-van.docx']);
  });
});

describe('a multipart request that is not what it says', () => {
  const lines: string[] = [];
  let ingest: Running;
  beforeAll(async () => {
    const log = pino(
      { level: 'info' },
      new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }),
    );
    ingest = await start(services.config, 'ingest', { log });
    return () => ingest.stop();
  });
  const post = (body: string | FormData, contentType?: string) =>
    fetch(new URL('/v1/submissions', ingest.url!), {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const head = '--B\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n';

  it('cut off, with no part at all, or without its boundary: 400, said as such, and not logged as an error of the service', async () => {
    const cases = [
      await post(`${head}commune,period\n03156,2023-Q2\n`, 'multipart/form-data; boundary=B'),
      await post('commune,period\n03156,2023-Q2\n', 'multipart/form-data; boundary=B'),
      await post(`${head}a,b\r\n--B--\r\n`, 'multipart/form-data'),
    ];
    for (const r of cases) {
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('TONGHOP_ERR_MULTIPART_MALFORMED');
      expect(r.body.error.message.vi).toMatch(/bị hỏng hoặc bị cắt giữa chừng/u);
      expect(r.body.error.message.en).toMatch(/malformed or was cut off/u);
    }
    // A client that goes away in the middle of its upload.
    await new Promise<void>((resolve, reject) => {
      const url = new URL(ingest.url!);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ` +
            `multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n${head}a,b\n`,
        );
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    expect(logged.filter((l) => l.msg === 'malformed multipart request').length).toBeGreaterThanOrEqual(3);
  });

  it('51 files answer 413 and 21 fields 400, each with its own message, not "file too large"; nothing is stored', async () => {
    const before = await services.db.selectFrom('submission').select('id').execute();
    const files = new FormData();
    for (let i = 0; i < 51; i += 1) files.append('file', new Blob(['a,b\n1,2\n']), `${i}.csv`);
    const many = await post(files);
    expect([many.status, many.body.error.code]).toEqual([413, 'TONGHOP_ERR_TOO_MANY_FILES']);
    expect(many.body.error.message.en).toBe(
      'Too many files in one upload. Send fewer, or put them in one .zip archive.',
    );
    expect(many.body.error.details).toEqual({ limit: 50 });

    const fields = new FormData();
    for (let i = 0; i < 21; i += 1) fields.append(`x${i}`, 'y');
    fields.append('file', new Blob(['a,b\n1,2\n']), 'a.csv');
    const wide = await post(fields);
    expect([wide.status, wide.body.error.code]).toEqual([400, 'TONGHOP_ERR_TOO_MANY_FIELDS']);
    expect(wide.body.error.message.vi).toMatch(/quá nhiều trường/u);
    for (const r of [many, wide]) expect(JSON.stringify(r.body)).not.toMatch(/too large|quá lớn/u);
    expect(await services.db.selectFrom('submission').select('id').execute()).toEqual(before);
  });
});
