"""The app's own words in Vietnamese (default) and English, and diacritic-free search keys.

Form texts come from the form files; indicator titles and reasons from the standard; this table
holds only what the app itself says.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Lang = Literal["vi", "en"]

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Rà soát hộ nghèo", "Poverty review"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "secret": ("Mật khẩu hoặc mã PIN", "Password or PIN"),
    "signing_in": ("Đang đăng nhập…", "Signing in…"),
    "unknown_user": (
        "Tài khoản chưa từng đăng nhập trên máy này. Cần có mạng cho lần đăng nhập đầu tiên.",
        "This account has never signed in on this tablet. The first sign-in needs a network.",
    ),
    "wrong_secret": ("Sai mật khẩu hoặc mã PIN.", "Wrong password or PIN."),
    "locked": (
        "Nhập sai quá nhiều lần. Hãy đăng nhập khi có mạng.",
        "Too many wrong attempts. Sign in while online.",
    ),
    "invalid_credentials": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "offline": ("Không kết nối được máy chủ.", "Cannot reach the server."),
    "home": ("Trang chủ", "Home"),
    "hello": ("Xin chào, {name}", "Hello, {name}"),
    "hamlets": ("Thôn được giao", "Assigned hamlets"),
    "households_n": ("{n} hộ", "{n} households"),
    "to_visit": ("Hộ cần đến", "Households to visit"),
    "drafts": ("Phiếu đang nhập dở", "Drafts"),
    "waiting": ("Chờ đồng bộ", "Waiting to sync"),
    "returned": ("Bị trả lại", "Returned"),
    "last_sync": ("Đồng bộ lần cuối", "Last sync"),
    "never": ("chưa bao giờ", "never"),
    "just_now": ("vừa xong", "just now"),
    "minutes_ago": ("{n} phút trước", "{n} minutes ago"),
    "hours_ago": ("{n} giờ trước", "{n} hours ago"),
    "days_ago": ("{n} ngày trước", "{n} days ago"),
    "sync": ("Đồng bộ", "Sync"),
    "settings": ("Cài đặt", "Settings"),
    "back": ("Quay lại", "Back"),
    "search": ("Tìm tên chủ hộ, mã hộ…", "Search head's name, code…"),
    "all": ("Tất cả", "All"),
    "status_none": ("Chưa rà soát", "Not reviewed"),
    "status_draft": ("Đang nhập", "Draft"),
    "status_ready": ("Chờ gửi", "Waiting"),
    "status_sent": ("Đã gửi", "Sent"),
    "status_returned": ("Bị trả lại", "Returned"),
    "shown_of": ("{shown}/{total} hộ", "{shown} of {total} households"),
    "members": ("Thành viên", "Members"),
    "class_history": ("Lịch sử phân loại", "Class history"),
    "deprivations": ("Các chỉ số thiếu hụt", "Deprivations"),
    "photos": ("Ảnh", "Photos"),
    "comments": ("Ý kiến người duyệt", "Reviewer comments"),
    "start_review": ("Bắt đầu rà soát", "Start review"),
    "resume_review": ("Tiếp tục phiếu", "Resume review"),
    "no_photos": ("Chưa có ảnh", "No photos"),
    "none": ("Không có", "None"),
    "previous": ("Trước", "Previous"),
    "next": ("Tiếp", "Next"),
    "save_draft": ("Lưu nháp", "Save draft"),
    "saved_at": ("Đã lưu {time}", "Saved {time}"),
    "preview": ("Xem phân loại", "Class preview"),
    "finish": ("Hoàn thành", "Finish"),
    "finish_blocked": (
        "Còn {n} lỗi cần sửa trước khi hoàn thành.",
        "{n} problems to fix before finishing.",
    ),
    "finished": ("Đã hoàn thành, chờ đồng bộ.", "Finished; waiting to sync."),
    "page_of": ("Phần {n}/{total}", "Section {n} of {total}"),
    "add_row": ("Thêm {label}", "Add {label}"),
    "edit": ("Sửa", "Edit"),
    "remove": ("Xóa", "Remove"),
    "done_row": ("Xong, về danh sách", "Done, back to the list"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "date_hint": ("ngày/tháng/năm, ví dụ 15/10/2026", "day/month/year, e.g. 15/10/2026"),
    "bad_date": ("Ngày không hợp lệ, nhập ngày/tháng/năm", "Not a date; use day/month/year"),
    "bad_number": ("Cần nhập một số", "Enter a number"),
    "take_photo": ("Chụp ảnh", "Take photo"),
    "retake_photo": ("Chụp lại", "Retake"),
    "get_location": ("Lấy vị trí", "Get location"),
    "locating": ("Đang lấy vị trí…", "Locating…"),
    "accuracy": ("sai số ±{m} m", "accuracy ±{m} m"),
    "latitude": ("Vĩ độ", "Latitude"),
    "longitude": ("Kinh độ", "Longitude"),
    "accuracy_m": ("Sai số (m)", "Accuracy (m)"),
    "use_manual": ("Dùng vị trí nhập tay", "Use the typed position"),
    "gps_failed": ("Không lấy được vị trí: {why}", "No position: {why}"),
    "photo_failed": ("Không chụp được ảnh: {why}", "No photo: {why}"),
    "calculated": ("Tự tính", "Calculated"),
    "class": ("Phân loại", "Class"),
    "class_poor": ("Hộ nghèo", "Poor"),
    "class_near_poor": ("Hộ cận nghèo", "Near-poor"),
    "class_average": ("Hộ có mức sống trung bình", "Average living standard"),
    "class_not_poor": ("Không thuộc hộ nghèo, cận nghèo", "Not poor"),
    "class_undetermined": ("Chưa xác định được", "Cannot be determined yet"),
    "class_unknown": ("Chưa có", "None yet"),
    "income_line": (
        "Thu nhập bình quân {income} đ/người/tháng; chuẩn {line} đ",
        "Income {income} VND per person per month; line {line} VND",
    ),
    "income_unknown": ("Chưa có thu nhập", "Income not recorded"),
    "deprived_count": ("{n} chỉ số thiếu hụt", "{n} deprivations"),
    "missing": ("Còn thiếu thông tin", "Still missing"),
    "cannot_preview": (
        "Chưa đủ thông tin để phân loại: {why}",
        "Not enough answers to classify: {why}",
    ),
    "status_deprived": ("Thiếu hụt", "Deprived"),
    "status_not_deprived": ("Không thiếu hụt", "Not deprived"),
    "status_unknown": ("Chưa rõ", "Unknown"),
    "preview_note": (
        "Kết quả tạm tính trên máy tính bảng; kết quả chính thức do xã xét duyệt.",
        "A preview on the tablet; the commune reviews the official result.",
    ),
    "sync_title": ("Đồng bộ dữ liệu", "Sync"),
    "sync_start": ("Bắt đầu đồng bộ", "Start sync"),
    "phase_send_records": ("Gửi phiếu", "Send records"),
    "phase_send_photos": ("Gửi ảnh", "Send photos"),
    "phase_receive_updates": ("Nhận cập nhật", "Receive updates"),
    "phase_waiting": ("Chưa bắt đầu", "Not started"),
    "phase_done": ("Xong", "Done"),
    "sync_ok": (
        "Đồng bộ xong: gửi {sent}, nhận {received}.",
        "Synced: {sent} sent, {received} received.",
    ),
    "sync_failed": ("Đồng bộ chưa xong. {message}", "Sync did not finish. {message}"),
    "sync_busy": ("Đang đồng bộ…", "Syncing…"),
    "conflicts": ("Xung đột cần xem lại", "Conflicts to look at"),
    "mine": ("Trên máy này", "On this tablet"),
    "theirs": ("Trên máy chủ", "On the server"),
    "conflict_household": ("Thông tin hộ", "Household details"),
    "field_head_name": ("Tên chủ hộ", "Head of household"),
    "field_address": ("Địa chỉ", "Address"),
    "field_latitude": ("Vĩ độ", "Latitude"),
    "field_longitude": ("Kinh độ", "Longitude"),
    "field_full_name": ("Họ tên", "Full name"),
    "field_birth_date": ("Ngày sinh", "Date of birth"),
    "field_sex": ("Giới tính", "Sex"),
    "field_relation": ("Quan hệ với chủ hộ", "Relation to the head"),
    "field_national_id": ("Số định danh", "Personal ID number"),
    "field_member": ("Thành viên {no}", "Member {no}"),
    "conflict_officer": (
        "Bản trên máy chủ đang được dùng. Cán bộ xã sẽ chọn bản đúng; bản trên máy này đã được"
        " lưu trên máy chủ, không bị mất.",
        "The server's version stands for now. A commune officer will choose the right one; this"
        " tablet's version is kept on the server, nothing is lost.",
    ),
    "err_offline": (
        "Không có mạng hoặc máy chủ không trả lời. Dữ liệu vẫn an toàn trên máy; hãy thử lại khi có sóng.",
        "No network or the server did not answer. Your data is safe on the tablet; try again with signal.",
    ),
    "err_auth": (
        "Phiên đăng nhập đã hết hạn. Hãy đăng xuất và đăng nhập lại khi có mạng.",
        "Your session has expired. Sign out and sign in again while online.",
    ),
    "err_device_revoked": (
        "Máy này đã bị thu hồi quyền truy cập. Liên hệ cán bộ xã.",
        "This tablet's access was revoked. Contact the commune office.",
    ),
    "err_server": (
        "Máy chủ gặp lỗi. Dữ liệu vẫn an toàn trên máy; hãy thử lại sau.",
        "The server had a problem. Your data is safe on the tablet; try again later.",
    ),
    "err_rejected": (
        "Máy chủ không nhận {n} phiếu; xem mục Bị trả lại.",
        "The server refused {n} records; see Returned.",
    ),
    "server_url": ("Địa chỉ máy chủ", "Server address"),
    "language": ("Ngôn ngữ", "Language"),
    "large_text": ("Chữ lớn", "Large text"),
    "save": ("Lưu", "Save"),
    "saved": ("Đã lưu", "Saved"),
    "bad_url": ("Địa chỉ phải bắt đầu bằng http:// hoặc https://", "Use http:// or https://"),
    "vietnamese": ("Tiếng Việt", "Tiếng Việt"),
    "english": ("English", "English"),
}


def tr(key: str, lang: Lang = "vi", **values: object) -> str:
    """Return the app text ``key`` in ``lang`` with ``values`` filled in."""
    vi, en = TEXTS[key]
    text = vi if lang == "vi" else en
    return text.format(**values) if values else text


def fold(text: str) -> str:
    """Return ``text`` lower-cased without diacritics, for search: "Đức" → "duc".

    Đ/đ is a letter of its own, not D with a mark, so NFD does not split it.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
