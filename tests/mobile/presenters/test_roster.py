"""Last year's roster preloaded into the survey, each member confirmed with a status; the
engine classifies the household as confirmed (who died or moved away is not in it)."""

from __future__ import annotations

from datetime import date

from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.forms import REVIEW_FORM, prefill
from mobile.presenters.form import FormPresenter
from mobile.store import Hamlet, Household, UserStore
from shared.forms import Form, shipped

LAST_YEAR = [
    {
        "member_no": "1",
        "full_name": "Hoàng Văn Đức",
        "birth_date": "1979-04-02",
        "sex": "male",
        "relation": "head",
    },
    {
        "member_no": "2",
        "full_name": "Lò Thị Mai",
        "birth_date": "1982-08-10",
        "sex": "female",
        "relation": "spouse",
    },
    {
        "member_no": "3",
        "full_name": "Hoàng Văn Tư",
        "birth_date": "1940-01-01",
        "sex": "male",
        "relation": "parent",
        "national_id": "001040000001",
    },
]


def _roster_of(form: Form) -> frozenset[str]:
    return frozenset(name for name, node in form.nodes.items() if "members" in node.rosters)


def _survey(store: UserStore, form: Form) -> FormPresenter:
    household = Household(1, 1, "KP-0001", "Hoàng Văn Đức", members=LAST_YEAR)
    store.save_households([household])
    survey = store.new_survey(1, form.id, form.version)
    survey.envelope["answers"].update(
        prefill(
            REVIEW_FORM,
            household,
            Hamlet(1, "Thôn 2", "Xã Tân Lập"),
            "Hường",
            date(2026, 10, 15),
            roster=_roster_of(form),
        )
    )
    return FormPresenter(form, survey, store, FakeCamera(), FakeLocator())


def test_the_roster_starts_from_last_years_members_to_confirm(
    store: UserStore, survey_form: Form
) -> None:
    p = _survey(store, survey_form)
    assert p.answers["commune"] == "Xã Tân Lập"
    rows = p.answers["members"]
    assert [r["full_name"] for r in rows] == ["Hoàng Văn Đức", "Lò Thị Mai", "Hoàng Văn Tư"]
    assert "national_id" not in rows[2]
    assert all("member_status" not in r for r in rows)
    p.go(1)
    p.finish()
    assert "members[0].member_status" in {i.path for i in p.filled.errors}


def test_a_death_and_a_birth_change_the_household_the_engine_sees(
    store: UserStore, survey_form: Form
) -> None:
    p = _survey(store, survey_form)
    p.go(1)
    for row, status in ((0, "present"), (1, "present"), (2, "died")):
        p.open_row("members", row)
        p.choose("member_status", status)
        p.close_row()
    p.add_row("members")
    p.set_text("full_name", "Hoàng Thị Na")
    p.choose("member_status", "born")
    p.set_text("birth_date", "03/03/2026")
    p.choose("sex", "female")
    p.choose("relation", "child")
    p.close_row()
    document = p.filled.document()
    assert document is not None
    assert [m["relation"] for m in document["members"]] == ["head", "spouse", "child"]
    assert p.filled.answers["member_count"] == 3


def test_version_3_starts_each_row_with_the_members_number_and_known_facts(
    store: UserStore, survey_form: Form
) -> None:
    assert survey_form.version == 3
    p = _survey(store, survey_form)
    rows = p.answers["members"]
    assert [r["member_no"] for r in rows] == ["1", "2", "3"]
    # The registry's national_id is the form's (and the document's) citizen_id.
    assert rows[2]["citizen_id"] == "001040000001"
    p.go(1)
    p.open_row("members", 2)
    shown = {item.id: item for item in p.view().items}
    assert (shown["member_no"].kind, shown["member_no"].text) == ("calculate", "3")


def test_a_number_the_role_may_not_see_is_not_written_into_the_form(
    store: UserStore, survey_form: Form
) -> None:
    masked = [{**LAST_YEAR[2], "national_id": "•••••••••001"}]
    household = Household(1, 1, "KP-0001", "Hoàng Văn Đức", members=masked)
    rows = prefill(
        REVIEW_FORM,
        household,
        None,
        "Hường",
        date(2026, 10, 15),
        roster=_roster_of(survey_form),
    )["members"]
    assert "citizen_id" not in rows[0]


def test_version_2_rows_start_as_they_did(store: UserStore) -> None:
    v2 = shipped().get("household_review", 2)
    rows = _survey(store, v2).answers["members"]
    assert set(rows[2]) == {"full_name", "birth_date", "sex", "relation"}
