import type { Bilingual } from '../schema/issue.ts';

/** The closed table of HTTP errors: each a code, a status and a message in Vietnamese and English. */
export const httpErrors = {
  TONGHOP_ERR_UNAUTHORIZED: {
    status: 401,
    message: { vi: 'Cần đăng nhập hoặc mã truy cập (token) hợp lệ.', en: 'A valid login or access token is required.' },
  },
  TONGHOP_ERR_FORBIDDEN: {
    status: 403,
    message: { vi: 'Tài khoản này không có quyền với đơn vị này.', en: 'This account has no access to this unit.' },
  },
  TONGHOP_ERR_ROLE_MISSING: {
    status: 403,
    message: {
      vi: 'Tài khoản này không có vai trò cần cho thao tác này (xem "details"). Hãy đề nghị quản trị viên cấp vai trò.',
      en: 'This account lacks the role this action needs (see "details"). Ask an administrator to grant it.',
    },
  },
  TONGHOP_ERR_CONFLICT: {
    status: 409,
    message: {
      vi: 'Thao tác không thực hiện được ở trạng thái hiện tại (xem "details").',
      en: 'The action cannot be done in the current state (see "details").',
    },
  },
  TONGHOP_ERR_APPROVAL_BLOCKED: {
    status: 409,
    message: {
      vi: 'Chưa thể phê duyệt: các đơn vị cấp dưới trong "details" chưa được phê duyệt hoặc đánh dấu thiếu báo cáo (kèm lý do).',
      en: 'Cannot approve yet: the units below listed in "details" are neither approved nor marked missing with a reason.',
    },
  },
  TONGHOP_ERR_UNAPPROVAL_BLOCKED: {
    status: 409,
    message: {
      vi: 'Chưa thể hủy phê duyệt: đơn vị cấp trên (xem "details") đã phê duyệt. Hủy phê duyệt lần lượt từ trên xuống.',
      en: 'Cannot unapprove: the unit above (see "details") is approved. Unapprove top-down.',
    },
  },
  TONGHOP_ERR_NOT_FOUND: { status: 404, message: { vi: 'Không tìm thấy.', en: 'Not found.' } },
  TONGHOP_ERR_NO_FILE: {
    status: 400,
    message: { vi: 'Chưa có tệp nào được gửi (trường "file").', en: 'No file was sent (field "file").' },
  },
  TONGHOP_ERR_BAD_REQUEST: { status: 400, message: { vi: 'Yêu cầu không hợp lệ.', en: 'The request is not valid.' } },
  TONGHOP_ERR_FILE_TOO_LARGE: { status: 413, message: { vi: 'Tệp quá lớn.', en: 'The file is too large.' } },
  TONGHOP_ERR_NOT_MULTIPART: {
    status: 415,
    message: {
      vi: 'Yêu cầu không ở dạng multipart/form-data: hãy gửi tệp trong trường "file" của một yêu cầu multipart/form-data.',
      en: 'The request is not multipart/form-data: send the files in the "file" field of a multipart/form-data request.',
    },
  },
  TONGHOP_ERR_UNSUPPORTED_FILE: {
    status: 415,
    message: {
      vi: 'Chỉ nhận tệp Excel (.xlsx, .xls), LibreOffice (.ods), CSV hoặc JSON, hoặc tệp nén .zip chứa các tệp đó.',
      en: 'Only Excel (.xlsx, .xls), LibreOffice (.ods), CSV or JSON files are accepted, or a .zip archive of such files.',
    },
  },
  TONGHOP_ERR_ARCHIVE_NESTED: {
    status: 415,
    message: {
      vi: 'Tệp nén nằm trong tệp nén: hãy giải nén rồi gửi các tệp bên trong.',
      en: 'An archive inside an archive: unpack it and send the files inside.',
    },
  },
  TONGHOP_ERR_ARCHIVE_CORRUPT: {
    status: 400,
    message: { vi: 'Tệp nén (.zip) bị hỏng, không đọc được.', en: 'The ZIP archive is damaged and cannot be read.' },
  },
  TONGHOP_ERR_ARCHIVE_LIMIT: {
    status: 413,
    message: {
      vi: 'Tệp nén (.zip) vượt giới hạn. Hãy chia thành nhiều tệp nhỏ hơn.',
      en: 'The ZIP archive is over a limit. Split it into smaller ones.',
    },
  },
  TONGHOP_ERR_ARCHIVE_EMPTY: {
    status: 400,
    message: { vi: 'Tệp nén (.zip) không chứa tệp báo cáo nào.', en: 'The ZIP archive holds no report file.' },
  },
  TONGHOP_ERR_TOO_MANY_FILES: {
    status: 413,
    message: {
      vi: 'Quá nhiều tệp trong một lần gửi. Hãy gửi ít tệp hơn, hoặc gộp chúng vào một tệp nén .zip.',
      en: 'Too many files in one upload. Send fewer, or put them in one .zip archive.',
    },
  },
  TONGHOP_ERR_TOO_MANY_FIELDS: {
    status: 400,
    message: {
      vi: 'Yêu cầu có quá nhiều trường. Chỉ cần các trường file, form, commune, period.',
      en: 'The request has too many fields. Only file, form, commune and period are needed.',
    },
  },
  TONGHOP_ERR_MULTIPART_MALFORMED: {
    status: 400,
    message: {
      vi: 'Dữ liệu gửi lên bị hỏng hoặc bị cắt giữa chừng. Hãy gửi lại.',
      en: 'The upload is malformed or was cut off. Send it again.',
    },
  },
  TONGHOP_ERR_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: {
      vi:
        'Khóa Idempotency-Key này đã được dùng cho một lần gửi khác (tệp hoặc trường khác). ' +
        'Mỗi lần gửi mới cần một khóa mới; gửi lại đúng lần cũ thì giữ khóa cũ.',
      en: 'This Idempotency-Key was used for another upload (other files or fields). A new upload needs a new key; the same upload again keeps its key.',
    },
  },
  TONGHOP_ERR_CHECK_GONE: {
    status: 410,
    message: {
      vi: 'Tệp đã kiểm tra không còn được giữ trên máy chủ (đã quá hạn giữ). Hãy gửi lại chính tệp đó.',
      en: 'The checked file is no longer kept on the server (its time ran out). Send the file itself.',
    },
  },
  TONGHOP_ERR_REQUEST_TOO_LARGE: {
    status: 413,
    message: {
      vi: 'Yêu cầu quá lớn. Hãy gửi ít tệp hơn trong mỗi lần.',
      en: 'The request is too large. Send fewer files at a time.',
    },
  },
  TONGHOP_ERR_LENGTH_REQUIRED: {
    status: 411,
    message: { vi: 'Yêu cầu gửi tệp phải có Content-Length.', en: 'An upload must carry a Content-Length header.' },
  },
  TONGHOP_ERR_TOO_MANY_ROWS: {
    status: 413,
    message: {
      vi: 'Kết quả quá nhiều dòng để trả về dạng JSON. Hãy thu hẹp điều kiện lọc hoặc tải về dạng CSV/XLSX.',
      en: 'The answer has too many rows for JSON. Narrow the query or download it as CSV/XLSX.',
    },
  },
  TONGHOP_ERR_RATE_LIMITED: {
    status: 429,
    message: {
      vi: 'Mã truy cập này đã gửi quá nhiều yêu cầu hoặc quá nhiều dữ liệu. Hãy đợi rồi thử lại (xem Retry-After).',
      en: 'This token has sent too many requests or too much data. Wait, then try again (see Retry-After).',
    },
  },
  TONGHOP_ERR_CSRF: {
    status: 403,
    message: {
      vi: 'Yêu cầu thiếu mã bảo vệ (CSRF). Hãy tải lại trang rồi thử lại.',
      en: 'The request lacks its CSRF token. Reload the page and try again.',
    },
  },
  TONGHOP_ERR_LOGIN_FAILED: {
    status: 401,
    message: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  },
  TONGHOP_ERR_ACCOUNT_DISABLED: {
    status: 403,
    message: {
      vi: 'Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.',
      en: 'This account is disabled. Contact the administrator.',
    },
  },
  TONGHOP_ERR_LOGIN_THROTTLED: {
    status: 429,
    message: {
      vi: 'Đăng nhập sai quá nhiều lần. Hãy đợi ít phút rồi thử lại.',
      en: 'Too many failed logins. Wait a few minutes and try again.',
    },
  },
  TONGHOP_ERR_FORM_INVALID: {
    status: 422,
    message: {
      vi: 'Định nghĩa biểu mẫu không hợp lệ; không có gì được lưu. Xem từng lỗi trong details.',
      en: 'The form definition is not valid; nothing was stored. Every problem is in details.',
    },
  },
  TONGHOP_ERR_UNAVAILABLE: {
    status: 503,
    message: {
      vi: 'Hệ thống tạm thời không sẵn sàng, hãy thử lại sau.',
      en: 'The service is temporarily unavailable; try again later.',
    },
  },
  TONGHOP_ERR_INTERRUPTED: {
    status: 503,
    message: {
      vi: 'Hệ thống đang gián đoạn, tệp chưa được nhận, sẽ tự gửi lại.',
      en: 'The service is interrupted; the file was not received; it will be sent again.',
    },
  },
} as const satisfies Record<string, { status: number; message: Bilingual }>;

export type HttpErrorCode = keyof typeof httpErrors;

/** `message`, when given, says more than the table's message for the code: what of this request went wrong. */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly bilingual: Bilingual;
  readonly details: unknown;
  constructor(code: HttpErrorCode, details?: unknown, message: Bilingual = httpErrors[code].message) {
    super(message.en);
    this.code = code;
    this.status = httpErrors[code].status;
    this.bilingual = message;
    this.details = details;
  }
}

/** Files named in a message: the first few, then how many more ("details" lists them all). */
const namedAtMost = 5;

/**
 * The message of a multipart request of which no file was taken, some of them of no kind the
 * service reads: it names those (unlike TONGHOP_ERR_NOT_MULTIPART, a request that was not
 * multipart at all), then the kinds it reads.
 */
export function unreadableFilesMessage(names: readonly string[]): Bilingual {
  const listed = names.slice(0, namedAtMost).join(', ');
  const more = names.length - namedAtMost;
  const kinds = httpErrors.TONGHOP_ERR_UNSUPPORTED_FILE.message;
  return {
    vi: `Không có tệp nào được nhận. Tệp không thuộc loại đọc được: ${listed}${more > 0 ? ` và ${more} tệp khác` : ''}. ${kinds.vi}`,
    en: `No file was taken. Not of a kind the service reads: ${listed}${more > 0 ? ` and ${more} more` : ''}. ${kinds.en}`,
  };
}

export function errorBody(error: HttpError) {
  return {
    error: {
      code: error.code,
      message: error.bilingual,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}
