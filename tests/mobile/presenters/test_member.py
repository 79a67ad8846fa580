"""A member's page: the facts of Decision 24's forms shown in Vietnamese and corrected as edit
paths of the sync outbox; what is typed wrong is said in the review form's words and nothing
is queued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mobile.presenters.member import MemberPresenter
from mobile.store import Hamlet, UserStore
from mobile.sync.bridge import Receiver
from mobile.sync.store import Store
from shared.forms import Form

PULLED: dict[str, Any] = {
    "code": "KP-0005",
    "hamlet_id": 1,
    "head_name": "Hoàng Văn Đức",
    "members": [
        {
            "member_no": "1",
            "full_name": "Hoàng Văn Đức",
            "birth_date": "1979-04-02",
            "sex": "male",
            "relation": "head",
            "ethnicity": "02",
            "monthly_social_allowance_vnd": 540000,
        },
        {
            "member_no": "2",
            "full_name": "Lò Thị Mai",
            "sex": "female",
            "relation": "spouse",
            "national_id": "•••••••••321",
        },
    ],
}


@pytest.fixture
def sync_file(store: UserStore, tmp_path: Path) -> Path:
    path = tmp_path / "sync.sqlite3"
    found = Store(str(path))
    store.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")])
    items = [{"e": "household", "k": "5", "v": 3, "d": PULLED}]
    found.apply(items, "")
    Receiver(store, found).apply(items)
    found.close()
    return path


def _page(store: UserStore, sync_file: Path, form: Form, member_no: str = "1") -> MemberPresenter:
    return MemberPresenter(store, lambda: Store(str(sync_file)), 5, member_no, form)


def _edits(sync_file: Path) -> list[dict[str, Any]]:
    outbox = Store(str(sync_file))
    try:
        return [r.body["set"] for r in outbox.outbox() if r.kind == "household.edit"]
    finally:
        outbox.close()


def test_the_facts_show_in_vietnamese_with_what_is_not_recorded(
    store: UserStore, sync_file: Path, survey_form: Form
) -> None:
    view = _page(store, sync_file, survey_form).view()
    assert view.title == "Hoàng Văn Đức · thành viên 1"
    shown = {f.label: f.text for f in view.facts}
    assert shown["Dân tộc"] == "Tày"
    assert shown["Trợ cấp xã hội hằng tháng (đồng)"] == "540.000"
    assert shown["Tình trạng hiện nay"] == "Chưa ghi nhận"
    assert shown["Người có công với cách mạng"] == "Chưa ghi nhận"


def test_corrected_facts_are_queued_as_edit_paths(
    store: UserStore, sync_file: Path, survey_form: Form
) -> None:
    page = _page(store, sync_file, survey_form)
    page.type_text("national_id", "002079001234")
    page.type_text("national_id_issued_on", "10/06/2021")
    page.choose("activity", "working")
    page.choose("revolutionary_merit", False)
    assert page.save() is not None
    assert page.view().saved
    assert _edits(sync_file) == [
        {
            "members/1/national_id": "002079001234",
            "members/1/national_id_issued_on": "2021-06-10",
            "members/1/activity": "working",
            "members/1/revolutionary_merit": False,
        }
    ]
    assert store.household(5).members[0]["activity"] == "working"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("00207900123", "Số định danh cá nhân gồm đúng 12 chữ số"),
        ("003079001234", "Ba số đầu không phải mã tỉnh nơi đăng ký khai sinh"),
        ("002179001234", "Số thứ tư không khớp với giới tính"),
        ("002080001234", "Số thứ tư đến thứ sáu không khớp với năm sinh"),
    ],
)
def test_a_bad_citizen_id_is_said_in_the_forms_words_and_nothing_is_queued(
    store: UserStore, sync_file: Path, survey_form: Form, number: str, reason: str
) -> None:
    page = _page(store, sync_file, survey_form)
    page.type_text("national_id", number)
    assert page.save() is None
    assert page.message == reason
    assert _edits(sync_file) == []


def test_a_date_or_amount_typed_wrong_is_said(
    store: UserStore, sync_file: Path, survey_form: Form
) -> None:
    page = _page(store, sync_file, survey_form)
    page.type_text("national_id_issued_on", "31/02/2021")
    assert page.save() is None
    assert page.message == "Ngày không hợp lệ, nhập ngày/tháng/năm"
    page.type_text("national_id_issued_on", "")
    page.type_text("monthly_social_allowance_vnd", "năm trăm")
    assert page.save() is None
    assert page.message == "Cần nhập một số"
    assert _edits(sync_file) == []


def test_a_number_the_role_may_not_see_is_shown_masked_and_left_alone(
    store: UserStore, sync_file: Path, survey_form: Form
) -> None:
    page = _page(store, sync_file, survey_form, "2")
    number = next(f for f in page.view().facts if f.name == "national_id")
    assert (number.text, number.locked) == ("•••••••••321", True)
    page.choose("ethnicity", "01")
    assert page.save() is not None
    assert _edits(sync_file) == [{"members/2/ethnicity": "01"}]
