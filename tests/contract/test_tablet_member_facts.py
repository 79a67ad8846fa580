"""The members' facts of Decision 24's forms between the tablet and the server over real HTTP
(the server app on a loopback uvicorn port): corrected on the tablet's member page, they reach
the registry with the next sync; changed on the server, they reach the tablet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from mobile.context import AppContext
from mobile.presenters.member import MemberPresenter
from mobile.store.records import Household as TabletHousehold
from server.households.models import Household
from tests.contract.tablet_world import Served, serve, signed_in_tablet

CODE = "VL-KP2-0017"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as found:
        yield found


@pytest.fixture
def tablet(served: Served, tmp_path: Path) -> Iterator[AppContext]:
    context = signed_in_tablet(tmp_path / "tablet", served.url)
    first = context.sync_port().start(lambda _p: None)
    assert first.ok, first
    yield context
    context.http().close()


def _household(tablet: AppContext) -> TabletHousehold:
    store = tablet.user_store()
    return next(h for h in store.households(store.hamlets()[0].hamlet_id) if h.code == CODE)


def _page(tablet: AppContext) -> MemberPresenter:
    return MemberPresenter(
        tablet.user_store(),
        tablet.outbox,
        _household(tablet).household_id,
        "1",
        tablet.survey_form(),
    )


def test_a_members_facts_corrected_on_the_tablet_reach_the_registry(
    served: Served, tablet: AppContext
) -> None:
    page = _page(tablet)
    page.choose("ethnicity", "02")
    page.type_text("national_id", "002079001234")
    page.type_text("national_id_issued_on", "10/06/2021")
    page.type_text("national_id_issued_by", "Cục Cảnh sát QLHC về TTXH")
    page.choose("activity", "working")
    page.type_text("monthly_social_allowance_vnd", "540.000")
    page.choose("revolutionary_merit", True)
    assert page.save() is not None, page.message
    # Shown at once on the tablet, before any sync.
    head = _household(tablet).members[0]
    assert (head["ethnicity"], head["activity"]) == ("02", "working")

    outcome = tablet.sync_port().start(lambda _p: None)
    assert outcome.ok, outcome
    assert outcome.rejected == 0
    with served.sessions() as session:
        household = session.scalars(select(Household).where(Household.code == CODE)).one()
        member = household.members[0]
        assert (member.ethnicity, member.national_id) == ("02", "002079001234")
        assert member.national_id_issued_on == date(2021, 6, 10)
        assert member.national_id_issued_by == "Cục Cảnh sát QLHC về TTXH"
        assert (member.activity, member.monthly_social_allowance_vnd) == ("working", 540_000)
        assert member.revolutionary_merit is True
        assert member.no_labour_capacity is None


def test_a_fact_changed_on_the_server_reaches_the_tablet(
    served: Served, tablet: AppContext
) -> None:
    with served.sessions() as session:
        household = session.scalars(select(Household).where(Household.code == CODE)).one()
        household.members[0].current_residence = "Tổ 3, thị trấn Phố Lu"
        household.members[0].no_labour_capacity = True
        session.commit()
    assert tablet.sync_port().start(lambda _p: None).ok
    head = _household(tablet).members[0]
    assert head["current_residence"] == "Tổ 3, thị trấn Phố Lu"
    assert head["no_labour_capacity"] is True
    view = {f.name: f for f in _page(tablet).view().facts}
    assert view["current_residence"].text == "Tổ 3, thị trấn Phố Lu"
    assert view["no_labour_capacity"].text == "Có"
    assert view["ethnicity"].text == "Chưa ghi nhận"


def test_a_bad_citizen_id_is_refused_on_the_tablet_with_its_reason(tablet: AppContext) -> None:
    page = _page(tablet)
    page.type_text("national_id", "003079001234")
    assert page.save() is None
    assert page.message == "Ba số đầu không phải mã tỉnh nơi đăng ký khai sinh"
    outbox = tablet.outbox()
    try:
        assert [r for r in outbox.outbox() if r.kind == "household.edit"] == []
    finally:
        outbox.close()
