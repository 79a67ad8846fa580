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
    SCORE_ITEM_MISSING = "score_item_missing"
    SCORE_TABLE_TAKEN = "score_table_taken"
    UNKNOWN_SCORE_TABLE = "unknown_score_table"
    NO_SCORE_TABLE = "no_score_table"
    UNKNOWN_REGION = "unknown_region"
    NO_COMMUNE_REGION = "no_commune_region"
    SCORE_FOR_POOR_ONLY = "score_for_poor_only"
    NOT_BY_SCORE = "not_by_score"
    SCORE_FORM_MISMATCH = "score_form_mismatch"
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
    # Each refusal of a domain rule has its own code (as ODK Central's numbered problems):
    # clients branch on it, and the status follows from it (server/errors.py).
    ROUND_CLOSED = "round_closed"
    ROUND_DATES = "round_dates"
    LIST_YEAR = "list_year"
    ALREADY_LISTED = "already_listed"
    CLASSIFIED_BY_SURVEY = "classified_by_survey"
    NO_AVERAGE_CEILING = "no_average_ceiling"
    NOT_AVERAGE_LIVING = "not_average_living"
    INCOME_TEST_NOT_MET = "income_test_not_met"
    UNKNOWN_QUESTION = "unknown_question"
    CORRECTIONS_REQUIRED = "corrections_required"
    UNKNOWN_CLASS = "unknown_class"
    HAMLET_NOT_IN_COMMUNE = "hamlet_not_in_commune"
    NO_MEETING_IN_PROCEDURE = "no_meeting_in_procedure"
    NO_ATTENDEES = "no_attendees"
    MEETING_OUTSIDE_ROUND = "meeting_outside_round"
    NOTHING_TO_POST = "nothing_to_post"
    NOTHING_TO_POST_AT_OFFICE = "nothing_to_post_at_office"
    COMPLAINT_OUTSIDE_POSTING = "complaint_outside_posting"
    RECHECK_BEFORE_COMPLAINT = "recheck_before_complaint"
    DECISION_IN_FUTURE = "decision_in_future"
    CERTIFICATE_BEFORE_DECISION = "certificate_before_decision"
    PHOTO_REQUIRED = "photo_required"
    NOT_A_JPEG = "not_a_jpeg"
    IMPOSSIBLE_VOTE = "impossible_vote"
    IMPOSSIBLE_INCOME = "impossible_income"
    INVALID_QUESTION_PATH = "invalid_question_path"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    UNKNOWN_SKILLS = "unknown_skills"
    HOME_BASE_INCOMPLETE = "home_base_incomplete"
    ALREADY_OFFICER = "already_officer"
    NOT_A_HELPING_OFFICER = "not_a_helping_officer"
    CAPACITY_BELOW_LOAD = "capacity_below_load"
    TARGET_DATE_OUTSIDE_YEAR = "target_date_outside_year"
    ALREADY_REGISTERED = "already_registered"
    NOT_ON_LISTS = "not_on_lists"
    REGISTRATION_WITHDRAWN = "registration_withdrawn"
    FORM_UUID_TAKEN = "form_uuid_taken"
    ANSWERS_OTHER_HOUSEHOLD = "answers_other_household"
    OFFICER_INACTIVE = "officer_inactive"
    OFFICER_NOT_RESPONSIBLE = "officer_not_responsible"
    OVER_CAPACITY = "over_capacity"
    DUPLICATE_EDIT = "duplicate_edit"
    PROPOSAL_CLOSED = "proposal_closed"
    NOT_IN_PROPOSAL = "not_in_proposal"
    UNKNOWN_FUNDING_SOURCE = "unknown_funding_source"
    ACTUAL_DATE_REQUIRED = "actual_date_required"
    HOUSEHOLD_CODE_TAKEN = "household_code_taken"
    DUPLICATE_MEMBER_NO = "duplicate_member_no"
    UNKNOWN_SERVICE_TARGET = "unknown_service_target"
    TARGET_UNIT_NOT_ALLOWED = "target_unit_not_allowed"
    UNKNOWN_REPORT = "unknown_report"
    UNKNOWN_COMMUNE_KIND = "unknown_commune_kind"
    UNKNOWN_HAMLET_KIND = "unknown_hamlet_kind"
    UNKNOWN_AREA = "unknown_area"
    COMMUNE_CODE_TAKEN = "commune_code_taken"
    HAMLET_CODE_TAKEN = "hamlet_code_taken"
    NOT_A_FEATURE_COLLECTION = "not_a_feature_collection"
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
    ROUND_SIGNED_OFF = "round_signed_off"
    ROUND_NOT_SIGNED_OFF = "round_not_signed_off"
    REASON_REQUIRED = "reason_required"
    NO_CALENDAR = "no_calendar"
    DECISION_OVERDUE = "decision_overdue"
    RECORD_ID_TAKEN = "record_id_taken"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    IMAGE_TOO_LARGE = "image_too_large"
    INVALID_TEXT = "invalid_text"
    ACCOUNT_DISABLED = "account_disabled"
    IMPORT_UNREADABLE = "import_unreadable"
    IMPORT_COLUMNS_MISSING = "import_columns_missing"
    IMPORT_MAPPING_INVALID = "import_mapping_invalid"
    IMPORT_REFUSED = "import_refused"
    IMPORT_FILE_CHANGED = "import_file_changed"
    NO_OPEN_ROUND = "no_open_round"
    TOO_MANY_REQUESTS = "too_many_requests"
    JOB_NOT_DONE = "job_not_done"
    JOB_ABANDONED = "job_abandoned"
    HAMLETS_OF_DIFFERENT_COMMUNES = "hamlets_of_different_communes"
    HAMLET_RETIRED = "hamlet_retired"
    HAMLET_NAME_TAKEN = "hamlet_name_taken"
    MERGE_NEEDS_TWO_HAMLETS = "merge_needs_two_hamlets"


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
    ErrorCode.SCORE_ITEM_MISSING: {
        "vi": "Bảng điểm {source} chưa cho điểm chỉ tiêu «{label}» ({item}) của phiếu {form}",
        "en": "Score table {source} gives no points to item {item} («{label}») of form {form}",
    },
    ErrorCode.SCORE_TABLE_TAKEN: {
        "vi": "Đã nạp bảng điểm mã {table}; bảng mới cần một mã mới",
        "en": "A score table {table} is already loaded; give a new table a new id",
    },
    ErrorCode.UNKNOWN_SCORE_TABLE: {
        "vi": "Không có bảng điểm mã {table}",
        "en": "No score table {table}",
    },
    ErrorCode.NO_SCORE_TABLE: {
        "vi": "Tỉnh {province} chưa nạp bảng điểm Phiếu B1: nạp bảng của tỉnh "
        "(rasoat standards load-score-table) hoặc chọn một bảng",
        "en": "Province {province} has loaded no Phiếu B1 score table: load the province's "
        "table (rasoat standards load-score-table) or choose one",
    },
    ErrorCode.UNKNOWN_REGION: {
        "vi": "Vùng {region} không phải một trong sáu vùng kinh tế - xã hội ({regions})",
        "en": "Region {region} is not one of the six socio-economic regions ({regions})",
    },
    ErrorCode.NO_COMMUNE_REGION: {
        "vi": "Xã {commune} chưa được gán vùng kinh tế - xã hội, mà bảng điểm {table} cho "
        "điểm theo vùng",
        "en": "Commune {commune} has no socio-economic region, and score table {table} gives "
        "points by region",
    },
    ErrorCode.SCORE_FOR_POOR_ONLY: {
        "vi": "Thủ tục {procedure} dùng thu nhập đo thực tế; chấm điểm (Phiếu B1) chỉ dùng để "
        "rà soát hộ nghèo, hộ cận nghèo",
        "en": "Procedure {procedure} measures income; the score (Phiếu B1) is only for "
        "reviewing poor and near-poor households",
    },
    ErrorCode.NOT_BY_SCORE: {
        "vi": "Đợt rà soát {round_id} dùng thu nhập đo thực tế, không chấm điểm Phiếu B1",
        "en": "Round {round_id} measures income; it does not score Phiếu B1",
    },
    ErrorCode.SCORE_FORM_MISMATCH: {
        "vi": "Bảng điểm {table} chấm phiếu {expected}, không phải phiếu {given}",
        "en": "Score table {table} scores form {expected}, not {given}",
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
    ErrorCode.ROUND_CLOSED: {
        "vi": "Đợt rà soát {round_id} đã {status}, không thể thay đổi",
        "en": "Round {round_id} is {status}; it cannot change",
    },
    ErrorCode.ROUND_DATES: {
        "vi": "Đợt rà soát kết thúc ({ends_on}) trước khi bắt đầu ({starts_on})",
        "en": "The round ends ({ends_on}) before it starts ({starts_on})",
    },
    ErrorCode.LIST_YEAR: {
        "vi": "Đợt rà soát năm {year} lập danh sách năm {year} hoặc năm sau, "
        "không phải năm {list_year}",
        "en": "A round of {year} makes the list of {year} or the next year, not {list_year}",
    },
    ErrorCode.ALREADY_LISTED: {
        "vi": "Hộ {household} đã có trong danh sách của đợt rà soát",
        "en": "Household {household} is listed in the round already",
    },
    ErrorCode.CLASSIFIED_BY_SURVEY: {
        "vi": "Đợt rà soát {procedure} phân loại hộ bằng phiếu khảo sát, "
        "không bằng kiểm tra thu nhập",
        "en": "A {procedure} round classifies by survey, not by an income test",
    },
    ErrorCode.NO_AVERAGE_CEILING: {
        "vi": "Chuẩn {standard} không quy định mức sống trung bình",
        "en": "Standard {standard} sets no average-living ceiling",
    },
    ErrorCode.NOT_AVERAGE_LIVING: {
        "vi": "Kết quả kiểm tra thu nhập không xác định hộ có mức sống trung bình",
        "en": "The income test does not identify an average-living household",
    },
    ErrorCode.INCOME_TEST_NOT_MET: {
        "vi": "Hộ không đạt điều kiện thu nhập",
        "en": "The income test is not met",
    },
    ErrorCode.UNKNOWN_QUESTION: {
        "vi": "Biểu mẫu của phiếu không có câu hỏi {question}",
        "en": "The survey's form has no question {question}",
    },
    ErrorCode.CORRECTIONS_REQUIRED: {
        "vi": "Cần ghi rõ nội dung cần sửa",
        "en": "Say what to correct",
    },
    ErrorCode.UNKNOWN_CLASS: {
        "vi": "Không có loại hộ {household_class}",
        "en": "No household class {household_class}",
    },
    ErrorCode.HAMLET_NOT_IN_COMMUNE: {
        "vi": "Thôn không thuộc xã",
        "en": "The hamlet is not in the commune",
    },
    ErrorCode.NO_MEETING_IN_PROCEDURE: {
        "vi": "Đợt rà soát {procedure} không có họp dân ở thôn",
        "en": "A {procedure} round has no hamlet meeting",
    },
    ErrorCode.NO_ATTENDEES: {
        "vi": "Cuộc họp phải có người tham dự",
        "en": "Nobody attended the meeting",
    },
    ErrorCode.MEETING_OUTSIDE_ROUND: {
        "vi": "Ngày họp nằm ngoài thời gian đợt rà soát",
        "en": "The meeting is outside the round",
    },
    ErrorCode.NOTHING_TO_POST: {
        "vi": "Thôn {hamlet_id} không có hồ sơ nào ở bước {state} để niêm yết",
        "en": "No case of hamlet {hamlet_id} is {state}, ready to post",
    },
    ErrorCode.NOTHING_TO_POST_AT_OFFICE: {
        "vi": "Không có hồ sơ nào đã niêm yết ở thôn đang chờ niêm yết tại trụ sở xã",
        "en": "No case posted at a hamlet waits for the commune office",
    },
    ErrorCode.COMPLAINT_OUTSIDE_POSTING: {
        "vi": "Chỉ nhận khiếu nại trong thời gian niêm yết: {periods}",
        "en": "Complaints are taken while posted: {periods}",
    },
    ErrorCode.RECHECK_BEFORE_COMPLAINT: {
        "vi": "Ngày phúc tra trước ngày khiếu nại",
        "en": "Re-checked before the complaint was raised",
    },
    ErrorCode.DECISION_IN_FUTURE: {
        "vi": "Ngày quyết định ở tương lai",
        "en": "The decision date is in the future",
    },
    ErrorCode.CERTIFICATE_BEFORE_DECISION: {
        "vi": "Ngày cấp giấy chứng nhận trước ngày quyết định",
        "en": "Issued before the decision",
    },
    ErrorCode.PHOTO_REQUIRED: {
        "vi": "Hãy gửi ảnh JPEG làm nội dung yêu cầu (tối đa {limit} byte)",
        "en": "Send the JPEG photo as the body (at most {limit} bytes)",
    },
    ErrorCode.NOT_A_JPEG: {
        "vi": "Ảnh không phải JPEG",
        "en": "The photo is not a JPEG",
    },
    ErrorCode.IMPOSSIBLE_VOTE: {
        "vi": "{agree} người đồng ý trên {attendees} người dự họp không phải số đếm hợp lệ",
        "en": "{agree} agreeing out of {attendees} attendees is not a count",
    },
    ErrorCode.IMPOSSIBLE_INCOME: {
        "vi": "Thu nhập, trợ cấp và số thành viên phải là số không âm (ít nhất một thành viên)",
        "en": "Income and allowances must not be negative, and a household has a member",
    },
    ErrorCode.INVALID_QUESTION_PATH: {
        "vi": "{path} không phải đường dẫn câu hỏi",
        "en": "{path} is not a question path",
    },
    ErrorCode.UNKNOWN_ORGANISATION: {
        "vi": "Không có tổ chức {organisation}",
        "en": "No organisation {organisation}",
    },
    ErrorCode.UNKNOWN_SKILLS: {
        "vi": "Không có kỹ năng {skills}",
        "en": "No skills {skills}",
    },
    ErrorCode.HOME_BASE_INCOMPLETE: {
        "vi": "Cần cả hai tọa độ của nơi ở, hoặc không có tọa độ nào",
        "en": "Give both coordinates of the home base, or neither",
    },
    ErrorCode.ALREADY_OFFICER: {
        "vi": "Người dùng {user_id} đã là cán bộ phụ trách",
        "en": "User {user_id} is a helping officer already",
    },
    ErrorCode.NOT_A_HELPING_OFFICER: {
        "vi": "Tài khoản {user_id} không phải của cán bộ phụ trách",
        "en": "User {user_id} is not a helping officer's account",
    },
    ErrorCode.CAPACITY_BELOW_LOAD: {
        "vi": "Cán bộ đang giúp {held} hộ, nhiều hơn số hộ tối đa mới",
        "en": "The officer helps {held} households already, more than the new capacity",
    },
    ErrorCode.TARGET_DATE_OUTSIDE_YEAR: {
        "vi": "Ngày mục tiêu phải nằm trong năm {year} đăng ký",
        "en": "The target date must fall in {year}, the year of registration",
    },
    ErrorCode.ALREADY_REGISTERED: {
        "vi": "Hộ {household} đã đăng ký thoát nghèo năm {year}",
        "en": "Household {household} is registered for {year} already",
    },
    ErrorCode.NOT_ON_LISTS: {
        "vi": "Hộ {household} không có trong danh sách hộ nghèo, cận nghèo",
        "en": "Household {household} is not on the poor or near-poor list",
    },
    ErrorCode.REGISTRATION_WITHDRAWN: {
        "vi": "Đăng ký {registration_id} đã rút",
        "en": "Registration {registration_id} is withdrawn",
    },
    ErrorCode.FORM_UUID_TAKEN: {
        "vi": "Phiếu {uuid} đã có, thuộc hộ hoặc người khác",
        "en": "Form {uuid} exists, for another household or user",
    },
    ErrorCode.ANSWERS_OTHER_HOUSEHOLD: {
        "vi": "Câu trả lời mô tả hộ {answered}, không phải hộ {household}",
        "en": "The answers describe household {answered}, not {household}",
    },
    ErrorCode.OFFICER_INACTIVE: {
        "vi": "Cán bộ phụ trách {officer_id} không còn hoạt động",
        "en": "Helping officer {officer_id} is not active",
    },
    ErrorCode.OFFICER_NOT_RESPONSIBLE: {
        "vi": "Cán bộ phụ trách {officer_id} không phụ trách thôn của hộ",
        "en": "Helping officer {officer_id} is not responsible for the household's hamlet",
    },
    ErrorCode.OVER_CAPACITY: {
        "vi": "Cán bộ phụ trách {officer_id} sẽ giúp {load} hộ, quá mức {capacity} hộ",
        "en": "Helping officer {officer_id} would help {load} households, "
        "over the capacity of {capacity}",
    },
    ErrorCode.DUPLICATE_EDIT: {
        "vi": "Một đăng ký được sửa hai lần",
        "en": "A registration is changed twice",
    },
    ErrorCode.PROPOSAL_CLOSED: {
        "vi": "Đề xuất phân công {proposal_id} đã {status}",
        "en": "Proposal {proposal_id} is {status}",
    },
    ErrorCode.NOT_IN_PROPOSAL: {
        "vi": "Các đăng ký {registrations} không có trong đề xuất",
        "en": "Registrations {registrations} are not in the proposal",
    },
    ErrorCode.UNKNOWN_FUNDING_SOURCE: {
        "vi": "Không có nguồn kinh phí {funding_source}",
        "en": "No source of funds {funding_source}",
    },
    ErrorCode.ACTUAL_DATE_REQUIRED: {
        "vi": "Việc đã xong cần ghi ngày thực hiện",
        "en": "A done action needs its actual date",
    },
    ErrorCode.HOUSEHOLD_CODE_TAKEN: {
        "vi": "Đã có hộ mang mã {codes}",
        "en": "Households exist with codes {codes}",
    },
    ErrorCode.DUPLICATE_MEMBER_NO: {
        "vi": "Số thứ tự thành viên bị trùng",
        "en": "Member numbers repeat",
    },
    ErrorCode.UNKNOWN_SERVICE_TARGET: {
        "vi": "Không có chỉ tiêu dịch vụ {key}",
        "en": "No service target {key}",
    },
    ErrorCode.TARGET_UNIT_NOT_ALLOWED: {
        "vi": "Chỉ tiêu {key} không tính theo {unit}; tính được theo: {units}",
        "en": "Target {key} is not counted in {unit}; it can be counted in: {units}",
    },
    ErrorCode.UNKNOWN_REPORT: {
        "vi": "Không có loại báo cáo {kind}; có: {kinds}",
        "en": "No report kind {kind}; there are: {kinds}",
    },
    ErrorCode.UNKNOWN_COMMUNE_KIND: {
        "vi": "Không có loại xã {kind}",
        "en": "No commune kind {kind}",
    },
    ErrorCode.UNKNOWN_HAMLET_KIND: {
        "vi": "Không có loại thôn {kind}",
        "en": "No hamlet kind {kind}",
    },
    ErrorCode.UNKNOWN_AREA: {
        "vi": "Khu vực phải là nông thôn (rural) hoặc thành thị (urban)",
        "en": "The area must be rural or urban",
    },
    ErrorCode.COMMUNE_CODE_TAKEN: {
        "vi": "Đã có xã mã {commune}",
        "en": "Commune {commune} exists",
    },
    ErrorCode.HAMLET_CODE_TAKEN: {
        "vi": "Xã {commune} đã có thôn mã {hamlet}",
        "en": "Hamlet {hamlet} exists in {commune}",
    },
    ErrorCode.NOT_A_FEATURE_COLLECTION: {
        "vi": "Ranh giới phải là một GeoJSON FeatureCollection",
        "en": "Boundaries must be a GeoJSON FeatureCollection",
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
    ErrorCode.ROUND_SIGNED_OFF: {
        "vi": (
            "Tỉnh đã ký xác nhận số liệu của đợt rà soát {round_id}; "
            "số liệu chỉ thay đổi được khi tỉnh mở lại"
        ),
        "en": (
            "The province has signed off round {round_id}; "
            "its figures change only once the province reopens it"
        ),
    },
    ErrorCode.ROUND_NOT_SIGNED_OFF: {
        "vi": "Đợt rà soát {round_id} chưa được tỉnh ký xác nhận",
        "en": "Round {round_id} has not been signed off",
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
    ErrorCode.INVALID_TEXT: {
        "vi": "Dữ liệu gửi lên chứa ký tự không được phép ({problem})",
        "en": "The request holds a character that is not allowed ({problem})",
    },
    ErrorCode.ACCOUNT_DISABLED: {
        "vi": "Tài khoản đã bị khóa bởi quản trị viên",
        "en": "The account has been disabled by an administrator",
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
    ErrorCode.IMPORT_FILE_CHANGED: {
        "vi": "Tệp chọn để nhập khác với tệp đã xem trước; hãy chọn đúng tệp đó, hoặc xem trước "
        "tệp mới",
        "en": "The file chosen to import differs from the file previewed; choose that file, or "
        "preview the new one",
    },
    ErrorCode.NO_OPEN_ROUND: {
        "vi": "{commune} chưa mở đợt rà soát nhận giấy đề nghị; hãy in Giấy đề nghị và nộp tại "
        "Ủy ban nhân dân xã",
        "en": "{commune} has no review open for applications; print the application and take it "
        "to the commune's People's Committee",
    },
    ErrorCode.TOO_MANY_REQUESTS: {
        "vi": "Bạn đã gửi quá nhiều lần; hãy thử lại sau {seconds} giây",
        "en": "Too many requests; try again in {seconds} seconds",
    },
    ErrorCode.JOB_NOT_DONE: {
        "vi": "Việc số {job} chưa có kết quả (trạng thái: {state}); hãy đợi đến khi xong",
        "en": "Job {job} has no result yet (state: {state}); wait until it is done",
    },
    ErrorCode.JOB_ABANDONED: {
        "vi": "Việc số {job} bị dừng giữa chừng {attempts} lần (máy chạy nền ngừng); hãy chạy lại",
        "en": "Job {job} stopped midway {attempts} times (its worker stopped); start it again",
    },
    ErrorCode.HAMLETS_OF_DIFFERENT_COMMUNES: {
        "vi": "Chỉ gộp được các thôn, tổ dân phố của cùng một xã; {hamlets} thuộc các xã khác nhau",
        "en": "Only hamlets of one commune can be merged; {hamlets} are of different communes",
    },
    ErrorCode.HAMLET_RETIRED: {
        "vi": "{hamlet} đã được gộp vào {into} từ ngày {date}, không còn gộp hay đổi tên được",
        "en": "{hamlet} was merged into {into} on {date}; it can no longer be merged or renamed",
    },
    ErrorCode.HAMLET_NAME_TAKEN: {
        "vi": "{commune} đã có thôn, tổ dân phố tên {name}; hãy chọn tên khác",
        "en": "{commune} already has a hamlet named {name}; choose another name",
    },
    ErrorCode.MERGE_NEEDS_TWO_HAMLETS: {
        "vi": "Cần chọn ít nhất hai thôn, tổ dân phố để gộp",
        "en": "Choose at least two hamlets to merge",
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
        "en": "Household code '{value}' may hold only letters without diacritics, digits and . _ -",
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
