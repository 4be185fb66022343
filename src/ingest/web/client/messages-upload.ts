import { addMessages } from './messages.ts';

/**
 * The upload page (an officer sends and checks files). Vietnamese (the default) and English; the page imports this
 * file, which adds its words (messages.ts).
 */
export const vi = {
  'upload.choose': '1. Chọn tệp báo cáo',
  'upload.drop': 'Kéo thả tệp vào đây, hoặc bấm để chọn tệp',
  'upload.dropHint':
    'Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON, hoặc tệp nén .zip gồm báo cáo của nhiều xã; có thể chọn nhiều tệp cùng lúc.',
  'upload.chosen': 'Đã chọn {n} tệp',
  'upload.none': 'Chưa chọn tệp nào.',
  'upload.options': 'Biểu mẫu, xã và kỳ báo cáo (khi tệp không ghi rõ)',
  'upload.form': 'Biểu mẫu',
  'upload.formAuto': 'Tự nhận biết theo tệp',
  'upload.period': 'Kỳ báo cáo',
  'upload.periodAuto': 'Theo tệp',
  'upload.commune': 'Mã xã',
  'upload.communeHint': '5 chữ số; để trống nếu tệp đã ghi mã xã.',
  'upload.yourCommune': 'Xã: {name}',
  'upload.check': 'Kiểm tra trước khi gửi',
  'upload.send': 'Gửi báo cáo',
  'upload.pickFirst': 'Hãy chọn ít nhất một tệp.',
  'upload.results': '2. Kết quả',
  'upload.resultsEmpty': 'Kết quả từng tệp sẽ hiện ở đây.',
  'upload.templates': 'Mẫu biểu để điền',
  'upload.template': 'Tải mẫu {code} (Excel): {title}',
  'upload.history': 'Xem các báo cáo đã gửi và những kỳ còn thiếu',
  'upload.progress': 'Tải lên {file}',
  'upload.uploading': 'Đang tải lên… {pct}%',
  'upload.checking': 'Đang kiểm tra…',
  'upload.valid': 'Hợp lệ: {rows} dòng ({form}, {commune}, {period}). Có thể gửi.',
  'upload.invalid': 'Chưa hợp lệ: {n} lỗi. Hãy sửa những chỗ này trong tệp của bạn rồi kiểm tra lại.',
  'upload.checkOnly': 'Chỉ kiểm tra, chưa gửi.',
  'upload.meta': '{form}, {commune}, {period}',
  'upload.sendChecked': 'Gửi tệp này',
  'upload.unknown': 'chưa rõ',
  'upload.failed': 'Không gửi được: {message}',
  'upload.waitingUnavailable':
    'Hệ thống đang gián đoạn, tệp chưa được nhận, sẽ tự gửi lại sau {s} giây (lúc {time}, lần thử {n}).',
  'upload.waitingOffline': 'Mất kết nối mạng, tệp chưa được nhận, sẽ tự gửi lại ngay khi có mạng (lần thử {n}).',
  'upload.retryNow': 'Gửi lại ngay',
  'upload.refused': 'Không nhận tệp này: {message}',
  'upload.many': '{n} tệp được nhận, {refused} tệp không được nhận.',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'upload.choose': '1. Choose report files',
  'upload.drop': 'Drop files here, or click to choose files',
  'upload.dropHint':
    'Excel (.xlsx, .xls), LibreOffice (.ods), CSV or JSON, or a .zip archive of several communes’ reports; several files at once are fine.',
  'upload.chosen': '{n} file(s) chosen',
  'upload.none': 'No file chosen yet.',
  'upload.options': 'Form, commune and period (when the file does not say)',
  'upload.form': 'Form',
  'upload.formAuto': 'Recognise from the file',
  'upload.period': 'Reporting period',
  'upload.periodAuto': 'From the file',
  'upload.commune': 'Commune code',
  'upload.communeHint': '5 digits; leave empty when the file gives the commune code.',
  'upload.yourCommune': 'Commune: {name}',
  'upload.check': 'Check before sending',
  'upload.send': 'Send report',
  'upload.pickFirst': 'Choose at least one file.',
  'upload.results': '2. Results',
  'upload.resultsEmpty': 'The result of each file appears here.',
  'upload.templates': 'Templates to fill in',
  'upload.template': 'Download the {code} template (Excel): {title}',
  'upload.history': 'See the reports sent and the periods still missing',
  'upload.progress': 'Uploading {file}',
  'upload.uploading': 'Uploading… {pct}%',
  'upload.checking': 'Checking…',
  'upload.valid': 'Valid: {rows} rows ({form}, {commune}, {period}). Ready to send.',
  'upload.invalid': 'Not valid yet: {n} problems. Fix them in your file, then check it again.',
  'upload.checkOnly': 'Checked only, not sent.',
  'upload.meta': '{form}, {commune}, {period}',
  'upload.sendChecked': 'Send this file',
  'upload.unknown': 'not known',
  'upload.failed': 'Not sent: {message}',
  'upload.waitingUnavailable':
    'The service is interrupted; the file was not received; it will be sent again in {s} s (at {time}, try {n}).',
  'upload.waitingOffline':
    'The connection is down; the file was not received; it will be sent again as soon as the connection is back (try {n}).',
  'upload.retryNow': 'Send now',
  'upload.refused': 'This file was not taken: {message}',
  'upload.many': '{n} file(s) taken, {refused} not taken.',
};

addMessages(vi, en);
