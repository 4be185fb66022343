import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../../src/report/read/text/decode.ts';
import { cp1258Of, seededBytes, utf16Of } from '../../../support/report-files.ts';

const text =
  'Tên thôn/bản;Số hộ;Có sóng 3G trở lên\r\nBản Nậm Pồ;120;có\r\nHuổi Lếch;85;không\r\nĐiện Biên Đông;1.234;Có\r\n';

/** The same text typed in a .VnTime (TCVN3) and a VNI-Times font, as Latin-1 characters. */
const tcvn3 =
  'Tªn th«n/b¶n;Sè hé;Cã sãng 3G trë lªn\r\nB¶n NËm På;120;cã\r\nHuæi LÕch;85;kh«ng\r\n§iÖn Biªn §«ng;1.234;Cã\r\n';
const vni =
  'Teân thoân/baûn;Soá hoä;Coù soùng 3G trôû leân\r\nBaûn Naäm Poà;120;coù\r\nHuoåi Leách;85;khoâng\r\nÑieän Bieân Ñoâng;1.234;Coù\r\n';

function decoded(bytes: Buffer): string {
  const result = decodeText(bytes);
  if ('issues' in result) throw new Error(result.issues.map((found) => found.code).join(', '));
  return result.text;
}

function issueOf(bytes: Buffer): { code: string; en: string } {
  const result = decodeText(bytes);
  if (!('issues' in result)) throw new Error(`decoded as ${result.encoding}`);
  return { code: result.issues[0]!.code, en: result.issues[0]!.message.en };
}

describe('decodeText', () => {
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16 LE with BOM', utf16Of(text, 'le')],
    ['UTF-16 BE with BOM', utf16Of(text, 'be')],
    ['Windows-1258, detected without being told', cp1258Of(text)],
  ])('reads %s as the same Unicode text', (_, bytes) => {
    expect(decoded(bytes)).toBe(text);
  });

  it('names the encoding it found', () => {
    expect(decodeText(cp1258Of(text))).toMatchObject({ encoding: 'windows-1258' });
    expect(decodeText(utf16Of(text, 'be'))).toMatchObject({ encoding: 'UTF-16BE' });
  });

  it('composes text that arrives decomposed (macOS writes NFD) into NFC', () => {
    const result = decoded(Buffer.from(text.normalize('NFD'), 'utf8'));
    expect(result).toBe(text);
    expect(result.normalize('NFC')).toBe(result);
  });

  it('converts a file saved byte for byte in TCVN3 (ABC, .VnTime) with its table', () => {
    const result = decodeText(Buffer.from(tcvn3, 'latin1'));
    expect(result).toEqual({ text, encoding: 'TCVN3' });
  });

  it('converts a file saved byte for byte in VNI with its table', () => {
    const result = decodeText(Buffer.from(vni, 'latin1'));
    expect(result).toEqual({ text, encoding: 'VNI' });
  });

  it('rejects Unicode text typed in a TCVN3 font with a message that names TCVN3', () => {
    const found = issueOf(Buffer.from(tcvn3, 'utf8'));
    expect(found.code).toBe('ENCODING_LEGACY');
    expect(found.en).toContain('TCVN3');
  });

  it('rejects Unicode text typed in a VNI font with a message that names VNI', () => {
    const found = issueOf(Buffer.from(vni, 'utf8'));
    expect(found.code).toBe('ENCODING_LEGACY');
    expect(found.en).toContain('VNI');
  });

  it('leaves Unicode text with a few odd words alone', () => {
    const odd = 'Tên thôn/bản,Diện tích (m²),Ghi chú\nBản Nậm Pồ,12,ñandú\n';
    expect(decoded(Buffer.from(odd, 'utf8'))).toBe(odd);
  });

  it('says the format is unknown for binary content', () => {
    expect(issueOf(seededBytes(4096, 7)).code).toBe('FILE_FORMAT_UNKNOWN');
    expect(
      issueOf(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), seededBytes(512, 3)])).code,
    ).toBe('FILE_FORMAT_UNKNOWN');
    expect(issueOf(utf16Of('\u0000\u0001\u0002'.repeat(100), 'le')).code).toBe('FILE_FORMAT_UNKNOWN');
  });

  it('says the encoding is unknown for 8-bit text that reads as no Vietnamese', () => {
    const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? 0x20 : 0x80 + ((i * 37) % 0x7f))));
    expect(issueOf(bytes).code).toBe('ENCODING_UNKNOWN');
  });

  it('says the encoding is unknown when a BOM promises UTF-8 or UTF-16 and the bytes are not', () => {
    expect(issueOf(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xc3, 0x28])).code).toBe('ENCODING_UNKNOWN');
    expect(issueOf(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8, 0x41, 0x00])).code).toBe('ENCODING_UNKNOWN');
  });
});
