import { describe, expect, it } from 'vitest';
import { limitExceeded } from '../../../src/report/read/limit-exceeded.ts';
import { shippedFormCatalog } from '../../../src/forms/shipped-forms.ts';
import { resolveMeta } from '../../../src/report/meta/resolve-meta.ts';

const headers = [
  'Tên thôn/bản',
  'Số hộ',
  'Số nhân khẩu',
  'Có internet cáp quang',
  'Có sóng di động',
  'Có sóng 3G trở lên',
  'Số người dùng điện thoại thông minh',
  'Số người có tài khoản thanh toán điện tử',
];

describe('messages that name a metadata value or a limit', () => {
  it('name it in the message’s own language only', () => {
    const resolved = resolveMeta(
      shippedFormCatalog(),
      { commune: '03156', period: '2023-Q2' },
      { commune: '03165', period: 'Quý III/2023' },
      headers,
      { level: 'admin', code: null },
    );
    expect('issues' in resolved).toBe(true);
    const messages =
      'issues' in resolved ? resolved.issues.filter((i) => i.code === 'META_CONFLICT').map((i) => i.message) : [];
    expect(messages).toEqual([
      {
        vi: 'Mã xã trong tệp (03165) khác với giá trị đã chọn (03156).',
        en: 'The commune code in the file (03165) differs from the one given (03156).',
      },
      {
        vi: 'Kỳ báo cáo trong tệp (Quý III/2023) khác với giá trị đã chọn (2023-Q2).',
        en: 'The period in the file (Quý III/2023) differs from the one given (2023-Q2).',
      },
    ]);
    expect(limitExceeded('rows', 250_000, 200_000).message).toEqual({
      vi: 'Vượt giới hạn số dòng dữ liệu: 250000 (tối đa 200000).',
      en: 'Over the data rows limit: 250000 (at most 200000).',
    });
  });
});
