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
    IMPORT_UNREADABLE = "import_unreadable"
    IMPORT_COLUMNS_MISSING = "import_columns_missing"
    IMPORT_MAPPING_INVALID = "import_mapping_invalid"
    IMPORT_REFUSED = "import_refused"


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
    ErrorCode.IMPORT_UNREADABLE: {
        "vi": "Không đọc được tệp {file}: cần tệp Excel (.xlsx) hoặc CSV có dòng tiêu đề",
        "en": "Cannot read {file}: an Excel (.xlsx) or CSV file with a heading row is needed",
    },
    ErrorCode.IMPORT_COLUMNS_MISSING: {
        "vi": "Tệp thiếu cột bắt buộc: {columns}",
        "en": "The file lacks required columns: {columns}",
    },
    ErrorCode.IMPORT_MAPPING_INVALID: {
        "vi": "Ghép cột không hợp lệ: {mapping} (dạng 'Tiêu đề trong tệp=tên trường')",
        "en": "Invalid column mapping: {mapping} (form 'heading in the file=field')",
    },
    ErrorCode.IMPORT_REFUSED: {
        "vi": "Chưa nhập gì: {count} dòng bị từ chối; sửa tệp theo bản xem trước rồi nhập lại",
        "en": "Nothing imported: {count} rows refused; correct the file per the preview and "
        "import again",
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


class RowProblem(StrEnum):
    """Why a row of an imported household list is refused; shown with its row and column."""

    REQUIRED = "required"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    UNKNOWN_SEX = "unknown_sex"
    UNKNOWN_RELATION = "unknown_relation"
    BAD_CITIZEN_ID = "bad_citizen_id"
    DUPLICATE_CITIZEN_ID = "duplicate_citizen_id"
    CITIZEN_ID_TAKEN = "citizen_id_taken"
    UNKNOWN_CLASS = "unknown_class"
    UNKNOWN_HAMLET = "unknown_hamlet"
    BAD_CODE = "bad_code"
    TOO_LONG = "too_long"
    CONFLICTING_VALUE = "conflicting_value"
    MEMBER_WITHOUT_HOUSEHOLD = "member_without_household"
    NO_HEAD = "no_head"
    TWO_HEADS = "two_heads"
    HEAD_MISMATCH = "head_mismatch"


ROW_PROBLEM_MESSAGES: dict[RowProblem, dict[Lang, str]] = {
    RowProblem.REQUIRED: {
        "vi": "Bỏ trống ô bắt buộc",
        "en": "A required cell is empty",
    },
    RowProblem.BAD_DATE: {
        "vi": "'{value}' không phải ngày hợp lệ (ghi dạng ngày/tháng/năm, ví dụ 05/03/1980)",
        "en": "'{value}' is not a valid date (write day/month/year, e.g. 05/03/1980)",
    },
    RowProblem.FUTURE_DATE: {
        "vi": "Ngày {value} chưa tới hoặc trước năm 1900",
        "en": "The date {value} is in the future or before 1900",
    },
    RowProblem.UNKNOWN_SEX: {
        "vi": "Giới tính '{value}' không rõ (ghi Nam hoặc Nữ)",
        "en": "Sex '{value}' is not understood (write Nam or Nữ)",
    },
    RowProblem.UNKNOWN_RELATION: {
        "vi": "Quan hệ với chủ hộ '{value}' không rõ (ví dụ: Chủ hộ, Vợ, Con, Bố, Cháu, Anh)",
        "en": "Relation to the head '{value}' is not understood (e.g. Chủ hộ, Vợ, Con, Bố)",
    },
    RowProblem.BAD_CITIZEN_ID: {
        "vi": "Số căn cước '{value}' phải gồm đúng 12 chữ số",
        "en": "Citizen id '{value}' must be exactly 12 digits",
    },
    RowProblem.DUPLICATE_CITIZEN_ID: {
        "vi": "Số căn cước {value} trùng với dòng {other}",
        "en": "Citizen id {value} repeats row {other}",
    },
    RowProblem.CITIZEN_ID_TAKEN: {
        "vi": "Số căn cước {value} đã thuộc một thành viên của hộ {other}",
        "en": "Citizen id {value} already belongs to a member of household {other}",
    },
    RowProblem.UNKNOWN_CLASS: {
        "vi": "Phân loại '{value}' không rõ (ghi Hộ nghèo, Hộ cận nghèo, Hộ có mức sống trung "
        "bình hoặc Không nghèo)",
        "en": "Class '{value}' is not understood (write Hộ nghèo, Hộ cận nghèo, Hộ có mức "
        "sống trung bình or Không nghèo)",
    },
    RowProblem.UNKNOWN_HAMLET: {
        "vi": "Xã không có thôn/tổ dân phố '{value}'",
        "en": "The commune has no hamlet '{value}'",
    },
    RowProblem.BAD_CODE: {
        "vi": "Mã hộ '{value}' chỉ được gồm chữ không dấu, số và các dấu . _ -",
        "en": "Household code '{value}' may hold only letters without diacritics, digits "
        "and . _ -",
    },
    RowProblem.TOO_LONG: {
        "vi": "Nội dung dài quá {limit} ký tự",
        "en": "The text is longer than {limit} characters",
    },
    RowProblem.CONFLICTING_VALUE: {
        "vi": "'{value}' khác với '{other}' đã ghi cho cùng hộ ở dòng trên",
        "en": "'{value}' differs from '{other}' given for the same household above",
    },
    RowProblem.MEMBER_WITHOUT_HOUSEHOLD: {
        "vi": "Thành viên không thuộc hộ nào (chưa có mã hộ ở dòng này hay dòng trên)",
        "en": "A member without a household (no household code on this row or above)",
    },
    RowProblem.NO_HEAD: {
        "vi": "Hộ {value} không có chủ hộ (ghi tên chủ hộ, hoặc một thành viên có quan hệ "
        "'Chủ hộ')",
        "en": "Household {value} has no head (give the head's name, or a member whose "
        "relation is 'Chủ hộ')",
    },
    RowProblem.TWO_HEADS: {
        "vi": "Hộ {value} có hơn một thành viên là chủ hộ",
        "en": "Household {value} has more than one member who is the head",
    },
    RowProblem.HEAD_MISMATCH: {
        "vi": "Chủ hộ ghi là '{other}' nhưng thành viên là chủ hộ tên '{value}'",
        "en": "The head is given as '{other}' but the member who is the head is '{value}'",
    },
}


def render_row_problem(code: RowProblem, detail: dict[str, Any], lang: Lang = "en") -> str:
    """Return the catalog message of a refused import row in ``lang``, filled from ``detail``."""
    return ROW_PROBLEM_MESSAGES[code][lang].format_map(_Blank(detail))
