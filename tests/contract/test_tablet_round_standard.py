"""The tablet's preview classifies under the standard of the list its household's round makes,
as the server will: a round opened in 2026 for the 2027 list reaches the tablet with its
survey cases over real HTTP, and a survey of a listed household previews (and is classified)
under vn-2027-2030; a household no round lists keeps the standard of its reference date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.presenters.form import FormPresenter
from mobile.presenters.preview import preview
from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.service import create_user
from server.geography.models import Commune
from server.households.models import Classification, Household
from server.surveys.models import Survey
from shared.forms import check_answers
from tests.contract.tablet_world import Served, serve, signed_in_tablet
from tests.mobile.presenters.filling import fill_poor_household

OFFICER, OFFICER_PASSWORD = "canbo-tanlap", "mat-khau-xa-01"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as found:
        yield found


@pytest.fixture
def tablet(served: Served, tmp_path: Path) -> Iterator[AppContext]:
    context = signed_in_tablet(tmp_path / "tablet", served.url)
    yield context
    context.http().close()


def _open_round_listing(served: Served, code: str) -> dict[str, object]:
    """Open Xã Tân Lập's 2026 annual round as its commune officer, over HTTP, and list the
    household ``code`` on its Form 01; return the round."""
    with served.sessions() as session:
        commune = session.scalars(select(Commune)).one()
        household = session.scalars(select(Household).where(Household.code == code)).one()
        create_user(
            session,
            served.security,
            SYSTEM,
            OFFICER,
            "Cán bộ xã Tân Lập",
            OFFICER_PASSWORD,
            Role.COMMUNE_OFFICER,
            Scope(ScopeKind.COMMUNE, commune_id=commune.id),
        )
        session.commit()
        commune_id, household_id = commune.id, household.id
    with httpx.Client(base_url=f"{served.url}/api/v1", timeout=30) as http:
        token = http.post(
            "/auth/login",
            json={"username": OFFICER, "password": OFFICER_PASSWORD, "device_id": "office-pc"},
        ).json()["access_token"]
        officer = {"Authorization": f"Bearer {token}"}
        opened = http.post(
            "/review/rounds", json={"commune_id": commune_id, "year": 2026}, headers=officer
        )
        assert opened.status_code == 201, opened.json()
        listed = http.post(
            f"/review/rounds/{opened.json()['id']}/cases",
            json={"household_id": household_id, "application": "form01"},
            headers=officer,
        )
        assert listed.status_code == 201, listed.json()
        found: dict[str, object] = opened.json()
        return found


def _survey(tablet: AppContext, code: str) -> FormPresenter:
    store = tablet.user_store()
    household = next(h for h in store.households(store.hamlets()[0].hamlet_id) if h.code == code)
    survey = tablet.start_survey(household.household_id)
    p = FormPresenter(tablet.survey_form(survey), survey, store, FakeCamera(), FakeLocator())
    fill_poor_household(p)
    if p.answers.get("area") != "rural":  # pre-filled from the hamlet: choosing again cleared it
        p.choose("area", "rural")
    p.set_text("household_id", code)
    return p


def test_a_2026_round_for_the_2027_list_previews_under_vn_2027_2030(
    served: Served, tablet: AppContext
) -> None:
    opened = _open_round_listing(served, "VL-KP2-0017")
    assert (opened["year"], opened["list_year"], opened["standard"]) == (
        2026,
        2027,
        "vn-2027-2030",
    )
    assert tablet.sync_port().start(lambda _p: None).ok
    p = _survey(tablet, "VL-KP2-0017")
    assert p.answers["reference_date"] == "2026-10-15"
    standard = tablet.preview_standard(p.survey)
    assert standard.standard is not None
    assert standard.standard.id == "vn-2027-2030"
    shown = preview(check_answers(p.form, p.survey.envelope), "vi", standard)
    assert shown.standard_text.startswith(
        "Danh sách năm 2027 theo chuẩn nghèo đa chiều giai đoạn 2027–2030"
    )
    assert "tạm tính" in shown.standard_text
    assert p.finish() == []
    # The server classifies the survey under the same standard the tablet previewed.
    assert tablet.sync_port().start(lambda _p: None).ok
    with served.sessions() as session:
        (held,) = session.scalars(select(Survey))
        classified = session.scalars(
            select(Classification).where(
                Classification.survey_id == held.id, Classification.source == "survey"
            )
        ).one()
        assert classified.standard_id == "vn-2027-2030"
        assert classified.household_class == shown.household_class


def test_a_household_no_round_lists_previews_under_the_standard_of_its_date(
    served: Served, tablet: AppContext
) -> None:
    _open_round_listing(served, "VL-KP2-0017")
    assert tablet.sync_port().start(lambda _p: None).ok
    p = _survey(tablet, "VL-KP2-0003")
    standard = tablet.preview_standard(p.survey)
    assert standard.standard is None
    shown = preview(check_answers(p.form, p.survey.envelope), "vi", standard)
    assert "chuẩn nghèo đa chiều giai đoạn 2022–2025" in shown.standard_text
    assert "ngày rà soát" in shown.standard_text
