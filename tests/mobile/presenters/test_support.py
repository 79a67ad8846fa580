"""Exiting poverty on the tablet without Kivy: what the forms start with, the hamlet head's
registration list, the helping officer's households, and the home entries of each role."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mobile.forms import EXIT_REGISTRATION_FORM, REVIEW_FORM, VISIT_FORM, prefill
from mobile.presenters.detail import DetailPresenter
from mobile.presenters.home import HomePresenter
from mobile.presenters.support import ExitRegistrationPresenter, MyHouseholdsPresenter
from mobile.store import Accounts, Hamlet, Household, Profile, UserStore

TODAY = date(2026, 2, 10)
HAMLET = Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")
POOR = Household(
    1,
    1,
    "KP-0001",
    "Hoàng Văn Đức",
    household_class="poor",
    latest={
        "indicators": {
            "latrine": {"status": "deprived", "reason": "Nhà tiêu đơn giản"},
            "telecom": {"status": "not_deprived", "reason": ""},
        }
    },
)
NEAR_POOR = Household(2, 1, "KP-0002", "Lò Thị Mai", household_class="near_poor")
AVERAGE = Household(3, 1, "KP-0003", "Đinh Văn Sơn", household_class="not_poor")


def _user(db: sqlite3.Connection, accounts: Accounts, tmp_path: Path, role: str) -> UserStore:
    account = accounts.remember(Profile(role, "Lê Thị Hoa", role, 42), "2468", {})
    store = UserStore(db, account, tmp_path / "photos")
    store.save_hamlets([HAMLET])
    store.save_households([POOR, NEAR_POOR, AVERAGE])
    return store


def _registration(household_id: int, officers: list[int], **fields: Any) -> dict[str, Any]:
    return {
        "household_id": household_id,
        "hamlet_id": 1,
        "year": TODAY.year,
        "status": "registered",
        "starting_class": "poor",
        "target_date": "2026-11-30",
        "needs": [{"help_type": "preferential_loan"}, {"help_type": "breeding_stock"}],
        "officers": [{"officer_id": i, "full_name": "x", "user_id": i} for i in officers],
        "plan": [{"id": 1, "status": "done"}, {"id": 2, "status": "planned"}],
        **fields,
    }


def test_a_registration_starts_with_what_the_tablet_knows() -> None:
    answers = prefill(
        EXIT_REGISTRATION_FORM, POOR, HAMLET, "Trưởng thôn", TODAY, frozenset({"latrine"})
    )
    assert answers == {
        "registration_year": 2026,
        "registration_date": "2026-02-10",
        "registered_by": "Trưởng thôn",
        "hamlet": "Thôn Khuổi Phầy 2",
        "household_id": "KP-0001",
        "head_name": "Hoàng Văn Đức",
        "current_status": "poor",
        "deprivations": ["latrine"],
    }
    visit = prefill(VISIT_FORM, POOR, HAMLET, "Lê Thị Hoa", TODAY)
    assert visit == {
        "visit_date": "2026-02-10",
        "helping_officer": "Lê Thị Hoa",
        "household_id": "KP-0001",
    }
    assert prefill(REVIEW_FORM, POOR, HAMLET, "Hường", TODAY)["area"] == "rural"


def test_the_hamlet_head_sees_poor_and_near_poor_households_with_their_registration(
    db: sqlite3.Connection, accounts: Accounts, tmp_path: Path
) -> None:
    store = _user(db, accounts, tmp_path, "hamlet_head")
    draft = store.new_survey(2, EXIT_REGISTRATION_FORM, 1)
    store.new_survey(2, REVIEW_FORM, 1)  # a household survey is not a registration
    held = {"7": _registration(1, [], status="confirmed")}
    view = ExitRegistrationPresenter(store, held, TODAY).view()
    assert [(r.title, r.status, r.status_text, r.action) for r in view.rows] == [
        ("KP-0001 · Hoàng Văn Đức", "confirmed", "Xã đã duyệt", ""),
        ("KP-0002 · Lò Thị Mai", "draft", "Đang nhập", "Tiếp tục phiếu"),
    ]
    assert view.rows[1].survey_id == draft.survey_id
    assert view.summary == "Đã đăng ký 1/2 hộ"
    last_year = {"7": _registration(1, [], year=2025)}
    english = ExitRegistrationPresenter(store, last_year, TODAY, "en").view()
    assert (english.rows[0].status, english.rows[0].action) == ("none", "Register")


def test_the_helping_officer_sees_only_the_households_assigned_to_them(
    db: sqlite3.Connection, accounts: Accounts, tmp_path: Path
) -> None:
    store = _user(db, accounts, tmp_path, "helping_officer")
    pulled = {"7": _registration(1, [42, 9]), "8": _registration(2, [9])}
    labels = {"preferential_loan": "Vay vốn", "breeding_stock": "Con giống"}
    presenter = MyHouseholdsPresenter(store, pulled, TODAY, help_labels=labels)
    (row,) = presenter.view().rows
    assert row.household_id == 1
    assert row.detail.splitlines() == [
        "Hộ nghèo · dự kiến thoát nghèo 30/11/2026",
        "Cần hỗ trợ: Vay vốn, Con giống",
        "Kế hoạch: 1/2 việc đã xong",
    ]
    assert (row.status, row.action, row.survey_id) == ("none", "Ghi phiếu thăm hộ", None)
    visit = store.new_survey(1, VISIT_FORM, 1)
    assert presenter.open_form(1) is not None
    visit.state = "sent"
    store.save_survey(visit)
    (row,) = presenter.view().rows
    assert (row.status, row.status_text) == ("visited", "Đã ghi 1 lần thăm")


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        ("enumerator", []),
        ("hamlet_head", [("support", "register"), ("meeting", "")]),
        ("helping_officer", [("support", "visits")]),
        ("commune_officer", [("queue", ""), ("support", "register"), ("meeting", "")]),
    ],
)
def test_home_offers_the_tasks_of_the_role(
    db: sqlite3.Connection,
    accounts: Accounts,
    tmp_path: Path,
    role: str,
    entries: list[tuple[str, str]],
) -> None:
    store = _user(db, accounts, tmp_path, role)
    view = HomePresenter(store).view()
    assert [(e.screen, e.mode) for e in view.entries] == entries
    surveys = role in ("enumerator", "commune_officer")
    assert bool(DetailPresenter(store, 1, TODAY).view().action) is surveys


def test_a_support_form_on_home_is_named_and_not_counted_as_a_review(
    db: sqlite3.Connection, accounts: Accounts, tmp_path: Path
) -> None:
    store = _user(db, accounts, tmp_path, "hamlet_head")
    store.new_survey(1, EXIT_REGISTRATION_FORM, 1)
    view = HomePresenter(store, "en").view()
    (line,) = view.drafts
    assert line.title == "Exit registration: KP-0001 · Hoàng Văn Đức"
    assert line.form_id == EXIT_REGISTRATION_FORM
    assert view.to_visit == 3
