"""Exiting poverty on the tablet, end to end: the real form presenter, sealed store and sync
engine against the real server app on a loopback uvicorn port (SQLite). A hamlet head
registers a poor household offline and syncs: the registration arrives and comes back in the
pull. The commune confirms it and assigns the helping officer, whose tablet then lists the
household as "my household"; the officer records a visit with a photo offline and syncs: the
visit arrives with the photo byte for byte."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.sync_faults import live_server
from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.forms import EXIT_REGISTRATION_FORM, VISIT_FORM
from mobile.online import OnlineAuth
from mobile.presenters.form import FormPresenter
from mobile.presenters.signin import SignInPresenter
from mobile.presenters.support import (
    ExitRegistrationPresenter,
    MyHouseholdsPresenter,
    SupportRow,
)
from mobile.sync.bridge import sync_store
from mobile.sync_port import Outcome
from server.app import create_app
from server.db import make_engine
from server.migrate import upgrade
from server.photos.storage import FolderPhotoStore
from server.settings import Settings
from server.support.models import ExitRegistration, Visit
from server.sync.models import Photo
from tests.mobile.conftest import TEST_COST
from tests.server.conftest import PASSWORD, World, login, make_world


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, sessionmaker[Session], FolderPhotoStore, World]]:
    """Serve the test world (hamlet A's household HH-A stands poor since 2022) on loopback."""
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings(demo=True, password_time_cost=1, password_memory_kib=64)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    from server.auth.security import Security

    with sessions() as session:
        world = make_world(session, Security(settings))
    app = create_app(settings.model_copy(update={"data_dir": folder / "server"}), sessions)
    try:
        with live_server(app) as (host, port):
            yield (
                f"http://{host}:{port}",
                sessions,
                FolderPhotoStore(folder / "server" / "photos"),
                world,
            )
    finally:
        engine.dispose()


def tablet(data_dir: Path, url: str, username: str, today: date) -> AppContext:
    """Return a tablet on which ``username`` signed in online, and synced once."""
    context = AppContext(
        data_dir, FakeCamera(), FakeLocator(), kdf_cost=TEST_COST, today=lambda: today
    )
    context.settings.set("server_url", url)
    with httpx.Client(timeout=10) as http:
        signin = SignInPresenter(
            context.accounts, lambda: OnlineAuth(http, url), context.settings.device_id()
        )
        account = signin.sign_in(username, PASSWORD)
    assert account is not None, signin.message
    context.signed_in(account)
    assert sync(context).ok
    return context


def sync(context: AppContext) -> Outcome:
    """Return the outcome of one run of the real sync from the app's port."""
    return context.sync_port().start(lambda _p: None)


@dataclass
class Scenario:
    """What the module's one run left behind: server sessions, photo store, the world, the
    registration's tablet draft and the visit's photo hash, and each outcome."""

    sessions: sessionmaker[Session]
    photos: FolderPhotoStore
    world: World
    head: AppContext
    helper: AppContext
    registration_review: str
    registration_listed: list[str]
    mine: list[SupportRow]
    visit_review: str
    photo: str
    visit_outcome: Outcome


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """Run the story once (a server and two tablets cost seconds); the tests read it."""
    tmp_path = tmp_path_factory.mktemp("support")
    with serve(tmp_path) as (url, sessions, photos, world):
        yield _story(url, sessions, photos, world, tmp_path)


def _story(
    url: str,
    sessions: sessionmaker[Session],
    photos: FolderPhotoStore,
    world: World,
    tmp_path: Path,
) -> Scenario:
    household = world.households["A"]
    listed = []

    # The hamlet head registers HH-A offline.
    head = tablet(tmp_path / "head", url, "hamlet_head", date(2023, 2, 10))

    def status() -> str:
        found = ExitRegistrationPresenter(
            head.user_store(), head.support_items(), date(2023, 2, 10)
        )
        (row,) = found.view().rows
        assert row.household_id == household.id
        return row.status

    listed.append(status())
    draft = head.start_form(EXIT_REGISTRATION_FORM, household.id)
    p = FormPresenter(
        head.catalog.get(EXIT_REGISTRATION_FORM),
        draft,
        head.user_store(),
        FakeCamera(),
        FakeLocator(),
    )
    assert (p.answers["household_id"], p.answers["current_status"]) == ("HH-A", "poor")
    p.choose("causes", "lack_capital")
    p.add_row("needs")
    p.choose("help_type", "preferential_loan")
    p.set_text("need_detail", "Vay 50 triệu đồng")
    p.close_row()
    p.set_text("helping_officer", "Lê Thị Hoa")
    p.set_yes_no("commitment", True)
    p.set_text("target_date", "30/11/2023")
    assert p.finish() == []
    listed.append(status())
    outcome = sync(head)
    assert (outcome.ok, outcome.sent, outcome.rejected) == (True, 1, 0), outcome
    listed.append(status())

    # The commune confirms it and assigns the helping officer (the server's API).
    with sessions() as session:
        registration_id = session.scalars(select(ExitRegistration.id)).one()
    with httpx.Client(base_url=url, timeout=10) as api:
        officer = login(api, "commune_officer", "commune-desk")  # type: ignore[arg-type]
        me = login(api, "helping_officer", "lookup-desk")  # type: ignore[arg-type]
        made = api.post(
            "/api/v1/support/officers",
            json={
                "commune_id": world.commune_ids[0],
                "full_name": "helping_officer",
                "organisation": "womens_union",
                "skills": ["credit"],
                "hamlet_ids": [world.hamlets["A"].id],
                "capacity": 3,
                "base_latitude": 20.005,
                "base_longitude": 105.605,
                "user_id": api.get("/api/v1/auth/me", headers=me).json()["id"],
            },
            headers=officer,
        )
        assert made.status_code == 201, made.json()
        for method, path, body in (
            (
                "POST",
                "/api/v1/support/registrations/status",
                {"registration_ids": [registration_id], "status": "confirmed"},
            ),
            (
                "PUT",
                f"/api/v1/support/registrations/{registration_id}/officers",
                {"officer_ids": [made.json()["id"]], "reason": "Phân công đầu năm"},
            ),
        ):
            done = api.request(method, path, json=body, headers=officer)
            assert done.status_code == 200, done.json()

    # The helping officer's tablet lists the household; a visit with a photo goes out.
    helper = tablet(tmp_path / "helper", url, "helping_officer", date(2023, 5, 10))
    mine = MyHouseholdsPresenter(
        helper.user_store(),
        helper.support_items(),
        date(2023, 5, 10),
        help_labels=helper.choice_labels(EXIT_REGISTRATION_FORM, "help_type"),
    )
    rows = list(mine.view().rows)
    visit = helper.start_form(VISIT_FORM, household.id)
    p = FormPresenter(
        helper.catalog.get(VISIT_FORM), visit, helper.user_store(), FakeCamera(), FakeLocator()
    )
    p.set_yes_no("support_delivered", True)
    p.add_row("support_items")
    p.choose("support_type", "breeding_stock")
    p.set_text("description", "2 con bò cái giống")
    p.set_text("quantity", "2")
    p.set_text("unit", "con")
    p.set_text("value_vnd", "30000000")
    p.choose("funding_source", "social_policy_bank")
    p.close_row()
    p.choose("progress", "in_progress")
    p.add_row("photos")
    p.take_photo("photo")
    p.set_text("caption", "Bò giống")
    p.close_row()
    assert p.finish() == []
    (sha,) = [ph["sha256"] for ph in helper.user_store().photos(visit.survey_id)]
    return Scenario(
        sessions,
        photos,
        world,
        head,
        helper,
        draft.survey_id,
        listed,
        rows,
        visit.survey_id,
        sha,
        sync(helper),
    )


def test_a_registration_filled_offline_arrives_and_comes_back_registered(
    scenario: Scenario,
) -> None:
    assert scenario.registration_listed == ["none", "ready", "registered"]
    sent = scenario.head.user_store().survey(scenario.registration_review)
    assert sent is not None
    assert sent.state == "sent"
    with scenario.sessions() as session:
        registration = session.scalars(select(ExitRegistration)).one()
        assert registration.household_id == scenario.world.households["A"].id
        assert registration.survey_uuid == sent.survey_uuid
        assert registration.year == 2023
        assert registration.causes == ["lack_capital"]


def test_the_assigned_household_is_listed_and_a_visit_filled_offline_arrives(
    scenario: Scenario,
) -> None:
    (row,) = scenario.mine
    assert row.household_id == scenario.world.households["A"].id
    assert "Vay vốn ưu đãi" in row.detail
    outcome = scenario.visit_outcome
    # The visit and its photo.
    assert (outcome.ok, outcome.sent, outcome.rejected) == (True, 2, 0), outcome
    with scenario.sessions() as session:
        (held,) = session.scalars(select(Visit))
        assert held.photos == [scenario.photo]
        assert held.total_value_vnd == 30_000_000
    visit = scenario.helper.user_store().survey(scenario.visit_review)
    assert visit is not None
    assert visit.state == "sent"


def test_the_visit_photo_arrives_byte_for_byte(scenario: Scenario) -> None:
    assert scenario.visit_outcome.photos_refused == 0
    with scenario.sessions() as session:
        assert set(session.scalars(select(Photo.sha256))) == {scenario.photo}
    held = scenario.photos.path(scenario.photo).read_bytes()
    assert hashlib.sha256(held).hexdigest() == scenario.photo


def test_a_refused_photo_stays_queued_on_the_tablet(scenario: Scenario) -> None:
    """Until the server takes it, the photo is neither lost nor blocks the pull."""
    outbox = sync_store(scenario.helper.data_dir, scenario.helper.user_store().account)
    try:
        queued = {p.sha256: p.state for p in outbox.photos(None)}
    finally:
        outbox.close()
    assert scenario.photo in queued
    if scenario.visit_outcome.photos_refused:
        assert queued[scenario.photo] == "pending"
    assert scenario.helper.user_store().photo(scenario.photo) is not None
