import { addMessages } from './messages.ts';

/** The lineage page: the files behind a figure. Vietnamese (the default) and English; the page imports this file, which adds its words (messages.ts). */
export const vi = {
  'lin.back': 'Quay lại số liệu tổng hợp',
  'lin.figure': '{indicator} — {unit}, {period}',
  'lin.computed': 'Phiên bản tổng hợp {version}, tính lúc {time}.',
  'lin.formula': 'Tính từ {n} báo cáo {form} hiện hành của các xã dưới đây: tổng tử số / tổng mẫu số.',
  'lin.sources': 'Báo cáo được dùng',
  'lin.sourcesCaption': 'Các phiên bản báo cáo và tệp gốc làm nên số liệu này',
  'lin.commune': 'Xã',
  'lin.used': 'Phiên bản được dùng',
  'lin.contribution': 'Số liệu của xã',
  'lin.file': 'Tệp gốc',
  'lin.received': 'Nhận lúc',
  'lin.versions': 'Các phiên bản đã gửi',
  'lin.versionItem': 'Phiên bản {version} ({status}, {time})',
  'lin.download': 'Tải tệp {file}',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'lin.back': 'Back to the indicators',
  'lin.figure': '{indicator} — {unit}, {period}',
  'lin.computed': 'Snapshot version {version}, computed at {time}.',
  'lin.formula':
    'Computed from the {n} current {form} reports of the communes below: sum of numerators / sum of denominators.',
  'lin.sources': 'Reports used',
  'lin.sourcesCaption': 'The report versions and original files behind this figure',
  'lin.commune': 'Commune',
  'lin.used': 'Version used',
  'lin.contribution': 'Commune figure',
  'lin.file': 'Original file',
  'lin.received': 'Received',
  'lin.versions': 'Versions sent',
  'lin.versionItem': 'Version {version} ({status}, {time})',
  'lin.download': 'Download the file {file}',
};

addMessages(vi, en);
