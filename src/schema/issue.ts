import { z } from 'zod';

/** A message a commune officer reads: Vietnamese first, English beside it. */
export const bilingual = z.object({ vi: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof bilingual>;

/**
 * One problem with an uploaded report. `row` is the row as the officer's spreadsheet numbers it
 * (the header is row 1 in a CSV); null when the problem is with the whole file.
 */
export const issueSchema = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.string(),
  message: bilingual,
  /** The row's own name where the form has one (its row_key: the village), so the officer finds the row by what it is, not only by its number. */
  row_label: z.string().optional(),
  /** Only on ISSUES_TRUNCATED: how many issues of each code the file has, shown or not. */
  counts: z.record(z.string(), z.number().int()).optional(),
});
export type Issue = z.infer<typeof issueSchema>;

type Params = Record<string, string | number>;
type Template = (p: Params) => Bilingual;

/** The closed table of issue codes a report can be rejected with, and what each says. */
export const issueMessages = {
  FILE_EMPTY: () => ({ vi: 'Tệp rỗng, không có dữ liệu.', en: 'The file is empty.' }),
  FILE_TOO_LARGE: (p) => ({
    vi: `Tệp quá lớn (tối đa ${p.limit} byte).`,
    en: `The file is too large (at most ${p.limit} bytes).`,
  }),
  FILE_FORMAT_UNKNOWN: () => ({
    vi: 'Không nhận ra định dạng tệp. Hãy gửi tệp Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON.',
    en: 'Unknown file format. Send an Excel (.xlsx, .xls), LibreOffice (.ods), CSV or JSON file.',
  }),
  FILE_CORRUPT: (p) => ({
    vi: `Tệp bị hỏng, không đọc được (${p.detail}).`,
    en: `The file is damaged and cannot be read (${p.detail}).`,
  }),
  FILE_XLS_OLD_VERSION: () => ({
    vi: 'Tệp Excel 5.0/95 hoặc cũ hơn, không đọc được. Hãy mở tệp và lưu lại dạng Excel Workbook (.xlsx).',
    en: 'An Excel 5.0/95 or older workbook, which cannot be read. Open it and save it as an Excel Workbook (.xlsx).',
  }),
  FILE_ENCRYPTED: () => ({
    vi: 'Tệp có đặt mật khẩu. Hãy bỏ mật khẩu rồi lưu lại và gửi lại.',
    en: 'The file is password-protected. Remove the password, save it and send it again.',
  }),
  CSV_QUOTE_UNCLOSED: () => ({
    vi: 'Dấu ngoặc kép (") mở ở dòng này không được đóng.',
    en: 'A double quote (") opened on this row is never closed.',
  }),
  JSON_INVALID: (p) => ({
    vi: `Tệp JSON sai cú pháp${p.line ? ` ở dòng ${p.line}, cột ${p.column}` : ''}.`,
    en: `The JSON file has a syntax error${p.line ? ` at line ${p.line}, column ${p.column}` : ''}.`,
  }),
  JSON_SHAPE: () => ({
    vi: 'Tệp JSON phải là một mảng các dòng (đối tượng), hoặc một đối tượng có trường "rows" là mảng các dòng.',
    en: 'The JSON file must be an array of row objects, or an object whose "rows" field is an array of row objects.',
  }),
  JSON_VALUE_NESTED: () => ({
    vi: 'Giá trị phải là chữ, số hoặc true/false, không được là đối tượng hay mảng.',
    en: 'A value must be text, a number or true/false, not an object or a list.',
  }),
  ENCODING_LEGACY: (p) => ({
    vi: `Tệp dùng bảng mã cũ ${p.encoding}. Hãy lưu lại tệp theo Unicode (UTF-8) rồi gửi lại.`,
    en: `The file uses the legacy ${p.encoding} encoding. Save it as Unicode (UTF-8) and send it again.`,
  }),
  ENCODING_UNKNOWN: () => ({
    vi: 'Không nhận ra bảng mã của tệp. Hãy lưu tệp theo Unicode (UTF-8).',
    en: 'The text encoding of the file is not recognised. Save it as Unicode (UTF-8).',
  }),
  LIMIT_EXCEEDED: (p) => ({
    vi: `Vượt giới hạn ${p.whatVi}: ${p.actual} (tối đa ${p.limit}).`,
    en: `Over the ${p.whatEn} limit: ${p.actual} (at most ${p.limit}).`,
  }),
  META_FORM_MISSING: (p) => ({
    vi: `Không xác định được biểu mẫu. Hãy chọn biểu mẫu (${p.forms}).`,
    en: `The form could not be determined. Choose the form (${p.forms}).`,
  }),
  META_FORM_UNKNOWN: (p) => ({ vi: `Không có biểu mẫu "${p.value}".`, en: `There is no form "${p.value}".` }),
  META_COMMUNE_MISSING: () => ({ vi: 'Thiếu mã xã.', en: 'The commune code is missing.' }),
  META_COMMUNE_UNKNOWN: (p) => ({
    vi: `Mã xã ${p.value} không có trong danh mục đơn vị hành chính của kỳ ${p.period}.`,
    en: `Commune code ${p.value} is not in the list of administrative units for ${p.period}.`,
  }),
  META_COMMUNE_RETIRED: (p) => ({
    vi: `Mã xã ${p.value} không còn hiệu lực trong kỳ ${p.period}. Xã này nay thuộc: ${p.successors}.`,
    en: `Commune code ${p.value} is no longer valid for ${p.period}. It is now part of: ${p.successors}.`,
  }),
  META_PERIOD_MISSING: () => ({ vi: 'Thiếu kỳ báo cáo.', en: 'The reporting period is missing.' }),
  META_PERIOD_INVALID: (p) => ({
    vi: `Kỳ báo cáo "${p.value}" không đúng dạng (ví dụ: Quý II/2023, 2023-Q2, Tháng 6/2023).`,
    en: `The reporting period "${p.value}" is not valid (for example 2023-Q2, Q2/2023, 2023-06).`,
  }),
  META_CONFLICT: (p) => ({
    vi: `${p.whatVi} trong tệp (${p.file}) khác với giá trị đã chọn (${p.given}).`,
    en: `The ${p.whatEn} in the file (${p.file}) differs from the one given (${p.given}).`,
  }),
  // A commune officer hears that the commune is not theirs, by name (`own` given); anyone else, that the account may not.
  META_FORBIDDEN: (p) =>
    p.own
      ? {
          vi:
            `Tệp ghi mã xã ${p.value}${p.valueName ? ` – ${p.valueName}` : ''}, không phải xã của bạn ` +
            `(${p.own}${p.ownName ? ` – ${p.ownName}` : ''}). Hãy gửi báo cáo của xã mình; báo cáo của xã khác do xã đó gửi.`,
          en:
            `The file gives commune code ${p.value}${p.valueName ? ` – ${p.valueName}` : ''}, which is not ` +
            `your commune (${p.own}${p.ownName ? ` – ${p.ownName}` : ''}). Send your own commune's report; another commune sends its own.`,
        }
      : {
          vi: `Tài khoản này không được gửi báo cáo cho xã ${p.value}.`,
          en: `This account may not submit reports for commune ${p.value}.`,
        },
  FILE_SEVERAL_REPORTS: (p) => ({
    vi:
      `Tệp có báo cáo trên nhiều trang tính (${p.sheets}), mà mỗi tệp chỉ là một báo cáo: ` +
      'hãy lưu mỗi trang thành một tệp riêng (có thể nén chung các tệp vào một tệp ZIP).',
    en:
      `The file holds a report on each of several sheets (${p.sheets}), and a file is one report: ` +
      'save each sheet as a file of its own (the files may go together in one ZIP).',
  }),
  HEADER_NOT_FOUND: (p) => ({
    vi: `Không tìm thấy dòng tiêu đề của bảng trong ${p.rows} dòng đầu của trang tính.`,
    en: `No table header row in the first ${p.rows} rows of the sheet.`,
  }),
  HEADER_MISSING: (p) => ({ vi: `Thiếu cột "${p.header}".`, en: `The column "${p.header}" is missing.` }),
  HEADER_UNKNOWN: (p) => ({
    vi: `Cột "${p.value}" không thuộc biểu mẫu ${p.form}.`,
    en: `The column "${p.value}" is not part of form ${p.form}.`,
  }),
  HEADER_DUPLICATE: (p) => ({
    vi: `Cột "${p.header}" xuất hiện hai lần.`,
    en: `The column "${p.header}" appears twice.`,
  }),
  NO_ROWS: () => ({ vi: 'Tệp không có dòng dữ liệu nào.', en: 'The file has no data rows.' }),
  TOO_MANY_ROWS: (p) => ({
    vi: `Biểu mẫu ${p.form} chỉ có một dòng dữ liệu.`,
    en: `Form ${p.form} has exactly one data row.`,
  }),
  VALUE_REQUIRED: () => ({ vi: 'Ô này không được để trống.', en: 'This cell must not be empty.' }),
  VALUE_PREFIX_ONLY: () => ({
    vi: 'Chỉ có tiền tố (Thôn, Bản, Tổ, Xóm), chưa có tên.',
    en: 'Only a prefix (Thôn, Bản, Tổ, Xóm), without a name.',
  }),
  VALUE_NOT_INTEGER: () => ({
    vi: 'Phải là số nguyên (ví dụ 1234 hoặc 1.234).',
    en: 'Must be a whole number (for example 1234 or 1.234).',
  }),
  VALUE_DECIMAL: () => ({
    vi: 'Phải là số nguyên, không có phần thập phân.',
    en: 'Must be a whole number, without decimals.',
  }),
  VALUE_NEGATIVE: () => ({ vi: 'Không được là số âm.', en: 'Must not be negative.' }),
  VALUE_TOO_LARGE: (p) => ({
    vi: `Số quá lớn (tối đa ${p.limit}).`,
    en: `The number is too large (at most ${p.limit}).`,
  }),
  VALUE_NOT_NUMBER: () => ({
    vi: 'Phải là một số (ví dụ 12,5 hoặc 12.5).',
    en: 'Must be a number (for example 12,5 or 12.5).',
  }),
  VALUE_DECIMALS: (p) => ({
    vi: `Tối đa ${p.decimals} chữ số sau dấu thập phân.`,
    en: `At most ${p.decimals} decimal places.`,
  }),
  VALUE_BELOW_MIN: (p) => ({ vi: `Không được nhỏ hơn ${p.limit}.`, en: `Must not be less than ${p.limit}.` }),
  VALUE_ABOVE_MAX: (p) => ({ vi: `Không được lớn hơn ${p.limit}.`, en: `Must not be more than ${p.limit}.` }),
  VALUE_NOT_CHOICE: (p) => ({ vi: `Phải là một trong: ${p.choices}.`, en: `Must be one of: ${p.choices}.` }),
  VALUE_NOT_DATE: () => ({
    vi: 'Phải là một ngày (ví dụ 31/03/2024).',
    en: 'Must be a date (for example 31/03/2024).',
  }),
  VALUE_NOT_YES_NO: () => ({ vi: 'Phải là "Có" hoặc "Không".', en: 'Must be "Có" (yes) or "Không" (no).' }),
  VALUE_TOO_LONG: (p) => ({
    vi: `Nội dung quá dài (tối đa ${p.limit} ký tự).`,
    en: `The text is too long (at most ${p.limit} characters).`,
  }),
  VALUE_FORMULA: () => ({
    vi: 'Ô chứa công thức. Hãy dán giá trị (Paste Values) thay cho công thức.',
    en: 'The cell holds a formula. Paste the value instead of the formula.',
  }),
  RULE_REQUIRES: (p) => ({
    vi: `"${p.header}" chỉ được là "Có" khi "${p.otherHeader}" là "Có".`,
    en: `"${p.header}" can be yes only when "${p.otherHeader}" is yes.`,
  }),
  RULE_AT_MOST: (p) => ({
    vi: `"${p.header}" (${p.value}) không được lớn hơn "${p.otherHeader}" (${p.other}).`,
    en: `"${p.header}" (${p.value}) must not exceed "${p.otherHeader}" (${p.other}).`,
  }),
  TOTAL_MISMATCH: (p) =>
    p.kind === 'yes'
      ? {
          vi: `Dòng tổng cộng (dòng ${p.row}) ghi ${p.total} ở cột ${p.column}, nhưng các dòng phía trên có ${p.sum} dòng ghi "Có".`,
          en: `The total row (row ${p.row}) says ${p.total} in column ${p.column}, but the rows above count ${p.sum} yes.`,
        }
      : {
          vi: `Dòng tổng cộng (dòng ${p.row}) ghi ${p.total} ở cột ${p.column}, nhưng tổng các dòng phía trên là ${p.sum}.`,
          en: `The total row (row ${p.row}) says ${p.total} in column ${p.column}, but the rows above add up to ${p.sum}.`,
        },
  RULE_FAILED: (p) => ({
    vi: p.messageVi ? String(p.messageVi) : `Không thỏa điều kiện ${p.check}.`,
    en: p.messageEn ? String(p.messageEn) : `Breaks the rule ${p.check}.`,
  }),
  META_FORM_NOT_IN_FORCE: (p) => ({
    vi: `Biểu mẫu ${p.form} chưa áp dụng cho kỳ ${p.period}.`,
    en: `Form ${p.form} does not apply to the period ${p.period}.`,
  }),
  META_PERIOD_KIND: (p) => ({
    vi: `Biểu mẫu ${p.form} báo cáo theo ${p.wantVi}; "${p.value}" không phải kỳ như vậy.`,
    en: `Form ${p.form} is reported per ${p.wantEn}; "${p.value}" is not such a period.`,
  }),
  DUPLICATE_ROW_KEY: (p) => ({
    vi: `"${p.value}" trùng với dòng ${p.firstRow}.`,
    en: `"${p.value}" repeats row ${p.firstRow}.`,
  }),
  PERIOD_NOT_OPEN: (p) => ({
    vi:
      `Kỳ ${p.period} của biểu mẫu ${p.form} chưa mở nhận báo cáo: nhận từ ngày ${p.opens}. Hãy gửi lại từ ` +
      `ngày đó; nếu cần gửi sớm hơn, hãy hỏi cán bộ phụ trách báo cáo của tỉnh.`,
    en:
      `Period ${p.period} of form ${p.form} is not open for reports yet: it opens on ${p.opens}. Send the file ` +
      `again from that day; to send earlier, ask the province's reporting officer.`,
  }),
  PERIOD_EXPIRED: (p) => ({
    vi:
      `Kỳ ${p.period} của biểu mẫu ${p.form} đã hết hạn nhận báo cáo sau ngày ${p.date}. Hãy đề nghị người ` +
      `phê duyệt của tỉnh cấp ngoại lệ cho xã (có lý do và thời hạn), rồi gửi lại tệp.`,
    en:
      `Period ${p.period} of form ${p.form} stopped accepting reports after ${p.date}. Ask the province's ` +
      `approver for a lock exception for the commune (with a reason and an end date), then send the file again.`,
  }),
  PERIOD_LOCKED: (p) => ({
    vi:
      `Kỳ ${p.period} của biểu mẫu ${p.form} đã bị khóa bởi ${p.by} lúc ${p.at}. Hãy đề nghị ${p.by} (hoặc ` +
      `người phê duyệt khác của tỉnh) mở khóa hoặc cấp ngoại lệ cho xã, rồi gửi lại tệp.`,
    en:
      `Period ${p.period} of form ${p.form} was locked by ${p.by} at ${p.at}. Ask ${p.by} (or another approver ` +
      `of the province) to unlock it or grant the commune an exception, then send the file again.`,
  }),
  PERIOD_APPROVED: (p) => ({
    vi:
      `Báo cáo ${p.form} kỳ ${p.period} của xã đã được ${p.by} phê duyệt lúc ${p.at}, nên không nhận phiên ` +
      `bản mới. Muốn sửa, hãy đề nghị ${p.by} hủy phê duyệt (kèm lý do), rồi gửi lại tệp.`,
    en:
      `The commune's ${p.form} report for ${p.period} was approved by ${p.by} at ${p.at}, so no new version ` +
      `is accepted. To correct it, ask ${p.by} to unapprove it (with a reason), then send the file again.`,
  }),
  ISSUES_TRUNCATED: (p) => ({
    vi: `Tệp còn ${p.hidden} lỗi nữa chưa hiển thị: chỉ hiện ${p.shown} lỗi đầu trong tổng số ${p.total} lỗi. Số lỗi theo loại: ${p.byCode}.`,
    en: `The file has ${p.hidden} more errors not shown: only the first ${p.shown} of ${p.total} are listed. Errors by kind: ${p.byCode}.`,
  }),
  PROCESSING_FAILED: () => ({
    vi: 'Hệ thống gặp lỗi khi xử lý tệp này; quản trị viên đã được báo. Hãy gửi lại tệp sau.',
    en: 'The system failed while processing this file; the operator has been alerted. Send the file again later.',
  }),
} satisfies Record<string, Template>;

export type IssueCode = keyof typeof issueMessages;

/** Builds an issue with its message from the table. */
export function issue(
  code: IssueCode,
  at: { row?: number | null; column?: string | null; value?: string | null } = {},
  params: Params = {},
): Issue {
  const template: Template = issueMessages[code];
  return {
    row: at.row ?? null,
    column: at.column ?? null,
    value: at.value ?? null,
    code,
    message: template({ value: at.value ?? '', ...params }),
  };
}
