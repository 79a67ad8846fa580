"""The one error catalog: every error the system reports has a code here.

Tests assert codes, never prose. The server maps each code to one HTTP status and answers
``{"error": code, "message": text, "detail": {...}}``; the command line prints the message.
Messages are templates filled from ``detail`` and exist in Vietnamese and English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

Lang = Literal["vi", "en"]


class ErrorCode(StrEnum):
    INVALID_HOUSEHOLD = "invalid_household"
    INVALID_JSON = "invalid_json"
    UNKNOWN_STANDARD = "unknown_standard"
    NO_STANDARD_IN_FORCE = "no_standard_in_force"
    INVALID_STANDARD = "invalid_standard"
    INVALID_SCORE_TABLE = "invalid_score_table"
    INVALID_FORM = "invalid_form"
    UNKNOWN_FORM = "unknown_form"
    INVALID_ANSWERS = "invalid_answers"
    VALIDATION_FAILED = "validation_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_LOCKED = "account_locked"
    TOKEN_EXPIRED = "token_expired"
    DEVICE_REVOKED = "device_revoked"
    FORBIDDEN = "forbidden"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID_REQUEST = "invalid_request"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INVALID_BOUNDARY = "invalid_boundary"
    INTERNAL_ERROR = "internal_error"
    INVALID_CURSOR = "invalid_cursor"
    UPLOAD_OFFSET = "upload_offset"
    PHOTO_MISMATCH = "photo_mismatch"
    ILLEGAL_TRANSITION = "illegal_transition"
    MEETING_REQUIRED = "meeting_required"
    POSTING_NOT_ENDED = "posting_not_ended"
    ROUND_NOT_READY = "round_not_ready"
    REASON_REQUIRED = "reason_required"
    NO_CALENDAR = "no_calendar"
    DECISION_OVERDUE = "decision_overdue"
    RECORD_ID_TAKEN = "record_id_taken"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    NUL_CHARACTER = "nul_character"
    IMAGE_TOO_LARGE = "image_too_large"


MESSAGES: dict[ErrorCode, dict[Lang, str]] = {
    ErrorCode.INVALID_HOUSEHOLD: {
        "vi": "Hộ {household_id}: trường {field} không hợp lệ: {problem}",
        "en": "Household {household_id}: field {field} is invalid: {problem}",
    },
    ErrorCode.INVALID_JSON: {
        "vi": "Dữ liệu không phải JSON hợp lệ: {problem}",
        "en": "Input is not valid JSON: {problem}",
    },
    ErrorCode.UNKNOWN_STANDARD: {
        "vi": "Không có chuẩn nghèo {standard}",
        "en": "No standard named {standard}",
    },
    ErrorCode.NO_STANDARD_IN_FORCE: {
        "vi": "Không có chuẩn nghèo nào có hiệu lực vào ngày {date}",
        "en": "No standard is in force on {date}",
    },
    ErrorCode.INVALID_STANDARD: {
        "vi": "Tệp chuẩn nghèo {source} không hợp lệ: {problem}",
        "en": "Standard file {source} is invalid: {problem}",
    },
    ErrorCode.INVALID_SCORE_TABLE: {
        "vi": "Bảng điểm A {source} không hợp lệ: {problem}",
        "en": "Score-A table {source} is invalid: {problem}",
    },
    ErrorCode.INVALID_FORM: {
        "vi": "Biểu mẫu {source} không hợp lệ: {problem}",
        "en": "Form {source} is invalid: {problem}",
    },
    ErrorCode.UNKNOWN_FORM: {
        "vi": "Không có biểu mẫu {form_id} phiên bản {version}",
        "en": "No form {form_id} version {version}",
    },
    ErrorCode.INVALID_ANSWERS: {
        "vi": "Câu trả lời không hợp lệ: {problem}",
        "en": "Answers are invalid: {problem}",
    },
    ErrorCode.VALIDATION_FAILED: {
        "vi": "Phiếu có {count} lỗi cần sửa",
        "en": "The form has {count} problems to fix",
    },
    ErrorCode.NOT_AUTHENTICATED: {
        "vi": "Cần đăng nhập",
        "en": "Sign-in required",
    },
    ErrorCode.INVALID_CREDENTIALS: {
        "vi": "Sai tên đăng nhập hoặc mật khẩu",
        "en": "Wrong username or password",
    },
    ErrorCode.ACCOUNT_LOCKED: {
        "vi": "Tài khoản tạm khóa sau nhiều lần đăng nhập sai; thử lại sau {minutes} phút",
        "en": "Account locked after repeated failures; try again in {minutes} minutes",
    },
    ErrorCode.TOKEN_EXPIRED: {
        "vi": "Phiên đăng nhập đã hết hạn",
        "en": "The session has expired",
    },
    ErrorCode.DEVICE_REVOKED: {
        "vi": "Thiết bị này đã bị thu hồi quyền truy cập",
        "en": "This device's access has been revoked",
    },
    ErrorCode.FORBIDDEN: {
        "vi": "Vai trò của bạn không được phép thực hiện thao tác này",
        "en": "Your role may not do this",
    },
    ErrorCode.OUT_OF_SCOPE: {
        "vi": "Dữ liệu này nằm ngoài phạm vi được giao",
        "en": "This record is outside your assigned area",
    },
    ErrorCode.NOT_FOUND: {
        "vi": "Không tìm thấy {what}",
        "en": "{what} not found",
    },
    ErrorCode.CONFLICT: {
        "vi": "Xung đột dữ liệu: {problem}",
        "en": "Conflict: {problem}",
    },
    ErrorCode.INVALID_REQUEST: {
        "vi": "Yêu cầu không hợp lệ: {problem}",
        "en": "Invalid request: {problem}",
    },
    ErrorCode.PAYLOAD_TOO_LARGE: {
        "vi": "Dữ liệu gửi lên quá lớn (tối đa {limit})",
        "en": "Payload too large (limit {limit})",
    },
    ErrorCode.METHOD_NOT_ALLOWED: {
        "vi": "Không hỗ trợ phương thức {method} cho địa chỉ này",
        "en": "Method {method} is not allowed here",
    },
    ErrorCode.INVALID_BOUNDARY: {
        "vi": "Ranh giới {hamlet} không hợp lệ: {problem}",
        "en": "Boundary of {hamlet} is invalid: {problem}",
    },
    ErrorCode.INTERNAL_ERROR: {
        "vi": "Lỗi hệ thống; đã ghi nhận để xử lý",
        "en": "Internal error; it has been logged",
    },
    ErrorCode.INVALID_CURSOR: {
        "vi": "Con trỏ đồng bộ không hợp lệ; hãy đồng bộ lại từ đầu",
        "en": "The sync cursor is invalid; pull again from the start",
    },
    ErrorCode.UPLOAD_OFFSET: {
        "vi": "Máy chủ đã nhận {received} byte của ảnh; hãy gửi tiếp từ đó",
        "en": "The server holds {received} bytes of the photo; continue from there",
    },
    ErrorCode.PHOTO_MISMATCH: {
        "vi": "Ảnh nhận được không khớp mã {sha256}; hãy gửi lại",
        "en": "The received photo does not match {sha256}; send it again",
    },
    ErrorCode.RECORD_ID_TAKEN: {
        "vi": "Mã bản ghi {record} đã được người dùng khác dùng; hãy gửi với mã mới",
        "en": "Record id {record} belongs to another user; send it under a new id",
    },
    ErrorCode.NUMBER_OUT_OF_RANGE: {
        "vi": "Số tại {field} quá lớn",
        "en": "The number at {field} is out of range",
    },
    ErrorCode.NUL_CHARACTER: {
        "vi": "Chữ tại {field} chứa ký tự NUL không lưu được",
        "en": "The text at {field} contains a NUL character, which cannot be stored",
    },
    ErrorCode.IMAGE_TOO_LARGE: {
        "vi": "Ảnh quá lớn ({size}; tối đa {limit})",
        "en": "The image is too large ({size}; limit {limit})",
    },
    ErrorCode.ILLEGAL_TRANSITION: {
        "vi": "Hồ sơ {case_id} đang ở bước {state}, không thể thực hiện {action}",
        "en": "Case {case_id} is {state}; {action} is not allowed now",
    },
    ErrorCode.MEETING_REQUIRED: {
        "vi": "Cần có cuộc họp dân của thôn {hamlet_id} trong đợt rà soát trước khi biểu quyết",
        "en": "Hamlet {hamlet_id} must hold its meeting in this round before a vote",
    },
    ErrorCode.POSTING_NOT_ENDED: {
        "vi": "Chưa hết thời gian niêm yết: niêm yết đến hết ngày {ends_on}",
        "en": "The posting has not ended: it runs to the end of {ends_on}",
    },
    ErrorCode.ROUND_NOT_READY: {
        "vi": "Còn {count} hồ sơ chưa hoàn tất các bước trước khi công nhận",
        "en": "{count} cases have not finished the steps before recognition",
    },
    ErrorCode.REASON_REQUIRED: {
        "vi": "Cần ghi rõ lý do (ít nhất {min_length} ký tự)",
        "en": "A written reason is required (at least {min_length} characters)",
    },
    ErrorCode.NO_CALENDAR: {
        "vi": "Chưa có lịch ngày nghỉ lễ năm {year} để tính ngày làm việc",
        "en": "No public-holiday calendar for {year} to count working days",
    },
    ErrorCode.DECISION_OVERDUE: {
        "vi": "Quá hạn ra quyết định và cấp giấy chứng nhận ({due_on}); ngày {on} chỉ được ghi "
        "nhận khi có lý do chậm trễ (ít nhất {min_length} ký tự)",
        "en": "The decision and certificates were due by {due_on}; {on} is accepted only with "
        "a written reason for the delay (at least {min_length} characters)",
    },
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def render(code: ErrorCode, detail: dict[str, Any], lang: Lang = "en") -> str:
    """Return the catalog message for ``code`` in ``lang``, filled from ``detail``."""
    return MESSAGES[code][lang].format_map(_Blank(detail))


class RasoatError(Exception):
    """An expected failure with a catalog code; never a bug."""

    def __init__(self, code: ErrorCode, **detail: Any) -> None:
        self.code = code
        self.detail = detail
        super().__init__(render(code, detail, "en"))

    def message(self, lang: Lang = "en") -> str:
        """Return the human message in ``lang``."""
        return render(self.code, self.detail, lang)


class IssueCode(StrEnum):
    """What is wrong with one answer of a filled form; findings for the user, not failures."""

    MALFORMED = "malformed"
    WRONG_FORM = "wrong_form"
    UNKNOWN_QUESTION = "unknown_question"
    REQUIRED = "required"
    WRONG_TYPE = "wrong_type"
    NOT_A_CHOICE = "not_a_choice"
    DUPLICATE_CHOICE = "duplicate_choice"
    EXCLUSIVE_CHOICE = "exclusive_choice"
    OUT_OF_RANGE = "out_of_range"
    TOO_LONG = "too_long"
    INVALID_DATE = "invalid_date"
    GPS_INACCURATE = "gps_inaccurate"
    ROSTER_COUNT_MISMATCH = "roster_count_mismatch"
    TOO_FEW_ROWS = "too_few_rows"
    TOO_MANY_ROWS = "too_many_rows"
    CONSTRAINT = "constraint"
    RULE = "rule"


# CONSTRAINT and RULE carry the form's own message; the form's text fills {message}.
ISSUE_MESSAGES: dict[IssueCode, dict[Lang, str]] = {
    IssueCode.MALFORMED: {
        "vi": "Dữ liệu phiếu không đúng cấu trúc: {problem}",
        "en": "The filled form is malformed: {problem}",
    },
    IssueCode.WRONG_FORM: {
        "vi": "Câu trả lời thuộc biểu mẫu {got}, không phải {expected}",
        "en": "The answers belong to form {got}, not {expected}",
    },
    IssueCode.UNKNOWN_QUESTION: {
        "vi": "Biểu mẫu không có câu hỏi {question}",
        "en": "The form has no question {question}",
    },
    IssueCode.REQUIRED: {
        "vi": "Chưa trả lời câu hỏi bắt buộc",
        "en": "This question must be answered",
    },
    IssueCode.WRONG_TYPE: {
        "vi": "Câu trả lời phải là {expected}",
        "en": "The answer must be {expected}",
    },
    IssueCode.NOT_A_CHOICE: {
        "vi": "{value} không phải là một lựa chọn của câu hỏi này",
        "en": "{value} is not one of this question's choices",
    },
    IssueCode.DUPLICATE_CHOICE: {
        "vi": "Lựa chọn {value} bị chọn hai lần",
        "en": "Choice {value} is selected twice",
    },
    IssueCode.EXCLUSIVE_CHOICE: {
        "vi": "Lựa chọn {value} không được chọn cùng lựa chọn khác",
        "en": "Choice {value} cannot be combined with other choices",
    },
    IssueCode.OUT_OF_RANGE: {
        "vi": "Giá trị {value} nằm ngoài khoảng cho phép ({low} đến {high})",
        "en": "Value {value} is outside the allowed range ({low} to {high})",
    },
    IssueCode.TOO_LONG: {
        "vi": "Văn bản dài quá {limit} ký tự",
        "en": "The text is longer than {limit} characters",
    },
    IssueCode.INVALID_DATE: {
        "vi": "{value} không phải ngày hợp lệ dạng NNNN-TT-NN",
        "en": "{value} is not a valid date of the form YYYY-MM-DD",
    },
    IssueCode.GPS_INACCURATE: {
        "vi": "Vị trí GPS sai số {accuracy_m} m, lớn hơn mức cho phép {limit} m",
        "en": "The GPS fix is accurate to {accuracy_m} m, worse than the {limit} m allowed",
    },
    IssueCode.ROSTER_COUNT_MISMATCH: {
        "vi": "Đã liệt kê {listed} dòng nhưng số khai báo là {count}",
        "en": "{listed} rows are listed but the declared count is {count}",
    },
    IssueCode.TOO_FEW_ROWS: {
        "vi": "Cần ít nhất {limit} dòng",
        "en": "At least {limit} rows are needed",
    },
    IssueCode.TOO_MANY_ROWS: {
        "vi": "Nhiều nhất {limit} dòng",
        "en": "At most {limit} rows are allowed",
    },
    IssueCode.CONSTRAINT: {"vi": "{message}", "en": "{message}"},
    IssueCode.RULE: {"vi": "{message}", "en": "{message}"},
}


def render_issue(code: IssueCode, detail: dict[str, Any], lang: Lang = "en") -> str:
    """Return the catalog message of an answer issue in ``lang``, filled from ``detail``."""
    return ISSUE_MESSAGES[code][lang].format_map(_Blank(detail))
