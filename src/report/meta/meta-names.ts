import type { RawMeta } from '../../schema/raw-table.ts';

/** What each metadata value is called in a META_CONFLICT message, in each language. */
export const metaNames: Readonly<Record<keyof RawMeta, { readonly vi: string; readonly en: string }>> = {
  form: { vi: 'Biểu mẫu', en: 'form' },
  commune: { vi: 'Mã xã', en: 'commune code' },
  period: { vi: 'Kỳ báo cáo', en: 'period' },
};
