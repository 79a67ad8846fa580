"""The tablet end to end: the real sign-in, form and preview presenters, the sealed store and
the sync engine (through the sync screen's port) against the real server app on a loopback
uvicorn port with a SQLite database. An enumerator signs in online, receives her hamlet, fills
a household review offline and syncs; the server holds the class the tablet previewed and the
photos byte for byte. Then the connection is cut again and again mid-sync: nothing is lost or
doubled. Then the access token expires mid-sync, and the device is revoked."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.sync_faults import FaultProxy, Faults, live_server
from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.online import OnlineAuth
from mobile.presenters.form import FormPresenter
from mobile.presenters.preview import preview
from mobile.presenters.signin import SignInPresenter
from mobile.sync.bridge import EngineSync, sync_store
from mobile.sync.engine import Retry
from mobile.sync_port import Failure, Outcome, Phase, Progress
from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.models import Device
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.geography.service import create_commune, create_hamlet, create_province
from server.households.models import Household
from server.households.service import MemberData, register_household
from server.settings import Settings
from server.surveys.models import Submission
from server.sync.models import Photo, PushedRecord
from server.sync.storage import PhotoStore
from tests.mobile.conftest import TEST_COST
from tests.mobile.presenters.filling import fill_poor_household

PASSWORD = "mat-khau-thon-2"
HAMLET = "Thôn Khuổi Phầy 2"
# Around the fake GPS fix (22.1234, 104.5678): lon/lat, as GeoJSON has it.
CORNERS = [[104.55, 22.11], [104.58, 22.11], [104.58, 22.14], [104.55, 22.14], [104.55, 22.11]]
BOUNDARY = {"type": "Polygon", "coordinates": [CORNERS]}
pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@dataclass
class Served:
    url: str
    address: tuple[str, int]
    sessions: sessionmaker[Session]
    photos: PhotoStore
    security: Security


def _commune(session: Session, security: Security) -> None:
    """A demo-like rural hamlet of 40 households; the enumerator is assigned to it."""
    province = create_province(session, SYSTEM, "08", "Tuyên Quang")
    commune = create_commune(session, SYSTEM, province, "02230", "Xã Tân Lập")
    hamlet = create_hamlet(session, SYSTEM, commune, "KP2", HAMLET, "thon", "rural", BOUNDARY)
    other = create_hamlet(session, SYSTEM, commune, "NK", "Bản Nà Khoang", "ban", "rural")
    for number in range(1, 41):
        head = "Hoàng Văn Đức" if number == 17 else f"Chủ hộ {number}"
        register_household(
            session,
            SYSTEM,
            hamlet,
            f"VL-KP2-{number:04d}",
            head,
            f"Xóm Bó Mạ, nhà {number}",
            members=[MemberData("1", head, relation="head")],
        )
    register_household(session, SYSTEM, other, "VL-NK-0001", "Lò Văn Sơn")
    create_user(
        session,
        security,
        SYSTEM,
        "huong",
        "Nguyễn Thị Hường",
        PASSWORD,
        Role.ENUMERATOR,
        Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlet.id})),
    )


@pytest.fixture
def served(engine: Engine, settings: Settings, tmp_path: Path) -> Iterator[Served]:
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    security = Security(settings)
    with sessions() as session:
        _commune(session, security)
        session.commit()
    data_dir = tmp_path / "server"
    app = create_app(settings.model_copy(update={"data_dir": data_dir}), sessions)
    with live_server(app) as address:
        yield Served(
            f"http://{address[0]}:{address[1]}",
            address,
            sessions,
            PhotoStore(data_dir / "photos"),
            security,
        )


@pytest.fixture
def tablet(served: Served, tmp_path: Path) -> Iterator[AppContext]:
    """A tablet on which the enumerator has signed in online (her first time here)."""
    context = AppContext(tmp_path / "tablet", FakeCamera(), FakeLocator(), kdf_cost=TEST_COST)
    context.settings.set("server_url", served.url)
    http = httpx.Client(timeout=10)
    signin = SignInPresenter(
        context.accounts, lambda: OnlineAuth(http, served.url), context.settings.device_id()
    )
    account = signin.sign_in("huong", PASSWORD)
    assert account is not None, signin.message
    context.signed_in(account)
    yield context
    http.close()
    context.http().close()


def _fill(context: AppContext, camera: FakeCamera, code: str) -> tuple[str, str, list[str]]:
    """Fill the poor household of four for household ``code`` offline; return the review id,
    the class the preview showed and the photos' SHA-256."""
    store = context.user_store()
    household = next(h for h in store.households(store.hamlets()[0].hamlet_id) if h.code == code)
    review = context.start_review(household.household_id)
    p = FormPresenter(context.review_form(review), review, store, camera, FakeLocator())
    fill_poor_household(p)
    if p.answers.get("area") != "rural":  # pre-filled from the hamlet: choosing again cleared it
        p.choose("area", "rural")
    p.set_text("household_id", code)
    previewed = preview(p.filled).household_class
    assert p.finish() == []
    return review.review_id, previewed, [ph["sha256"] for ph in store.photos(review.review_id)]


def _sync(port: EngineSync) -> tuple[Outcome, list[Progress]]:
    seen: list[Progress] = []
    return port.start(seen.append), seen


def test_a_review_filled_offline_reaches_the_server_with_the_previewed_class(
    served: Served, tablet: AppContext
) -> None:
    first, _ = _sync(EngineSync(tablet.data_dir, tablet.user_store().account, tablet.http()))
    assert first.ok, first
    store = tablet.user_store()
    assert [h.name for h in store.hamlets()] == [HAMLET]  # only her hamlet
    assert store.household_counts() == {store.hamlets()[0].hamlet_id: 40}

    review_id, previewed, shas = _fill(tablet, FakeCamera(), "VL-KP2-0017")
    assert previewed == "poor"
    assert len(shas) == 3
    outcome, progress = _sync(tablet.sync_port())  # type: ignore[arg-type]
    assert outcome.ok, outcome
    assert outcome.sent == 1
    assert outcome.rejected == 0
    assert {p.phase for p in progress} == set(Phase)
    photos = [p for p in progress if p.phase == Phase.SEND_PHOTOS]
    assert photos[-1].items_done == photos[-1].items_total == 3

    with served.sessions() as session:
        household = session.scalars(select(Household).where(Household.code == "VL-KP2-0017")).one()
        (held,) = session.scalars(select(Submission).where(Submission.household_id == household.id))
        assert held.result["class"] == previewed
        assert {p["sha256"] for p in held.photos} == set(shas)
        assert set(session.scalars(select(Photo.sha256))) == set(shas)
    for sha in shas:
        assert hashlib.sha256(served.photos.path(sha).read_bytes()).hexdigest() == sha
    reviewed = store.review(review_id)
    assert reviewed is not None
    assert reviewed.state == "sent"
    pulled = store.household(household.id)
    assert pulled is not None
    assert pulled.household_class == previewed
    # Nothing personal lies in clear in the sync file.
    sync_file = (tablet.data_dir / f"sync-{store.account.user_id}.sqlite3").read_bytes()
    assert "Hoàng".encode() not in sync_file
    assert b"VL-KP2" not in sync_file


def test_syncs_cut_mid_way_lose_nothing_and_double_nothing(
    served: Served, tablet: AppContext
) -> None:
    account = tablet.user_store().account
    assert EngineSync(tablet.data_dir, account, tablet.http()).start(lambda _p: None).ok
    camera = FakeCamera()
    first = _fill(tablet, camera, "VL-KP2-0003")
    second = _fill(tablet, camera, "VL-KP2-0004")
    proxy = FaultProxy(served.address, Faults(cut=0.5, replay=0.3), seed=11)
    through = httpx.Client(
        base_url=f"http://127.0.0.1:{proxy.port}",
        timeout=10,
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    # No retries within a run: every cut ends the run, and the next run resumes.
    port = EngineSync(tablet.data_dir, account, through, retry=Retry(attempts=1), chunk_size=16_384)
    failures = []
    for _ in range(60):
        outcome = port.start(lambda _p: None)
        if outcome.ok:
            break
        failures.append(outcome.failure)
    proxy.close()
    through.close()
    assert outcome.ok, failures
    assert failures
    assert set(failures) == {Failure.OFFLINE}
    assert proxy.stats.cuts > 0
    assert proxy.stats.replays > 0

    with served.sessions() as session:
        submissions = session.execute(
            select(Household.code, func.count())
            .join(Submission, Submission.household_id == Household.id)
            .group_by(Household.code)
        ).all()
        assert sorted(submissions) == [("VL-KP2-0003", 1), ("VL-KP2-0004", 1)]
        results = dict(
            session.execute(
                select(Household.code, Submission.result["class"].as_string()).join(
                    Submission, Submission.household_id == Household.id
                )
            ).all()
        )
        assert results == {"VL-KP2-0003": first[1], "VL-KP2-0004": second[1]}
        assert session.scalar(select(func.count()).select_from(PushedRecord)) == 2
        assert set(session.scalars(select(Photo.sha256))) == {*first[2], *second[2]}
    for sha in {*first[2], *second[2]}:
        assert hashlib.sha256(served.photos.path(sha).read_bytes()).hexdigest() == sha
    store = tablet.user_store()
    assert {r.state for r in store.reviews()} == {"sent"}
    outbox = sync_store(tablet.data_dir, account)
    assert [r.state for r in outbox.outbox()] == ["done", "done"]
    assert {p.state for p in outbox.photos(None)} == {"done"}
    outbox.close()


def test_an_expired_session_is_renewed_mid_sync_and_a_revoked_tablet_is_told(
    served: Served, tablet: AppContext
) -> None:
    account = tablet.user_store().account
    tokens = tablet.accounts.tokens(account)
    with served.sessions() as session:
        device = session.scalars(select(Device)).one()
        expired = served.security.access_token(
            device.user_id, device.id, datetime.now(UTC) - timedelta(hours=2)
        )
    tablet.accounts.save_tokens(account, {**tokens, "access_token": expired})
    port = EngineSync(tablet.data_dir, account, tablet.http())
    assert port.start(lambda _p: None).ok
    renewed = tablet.accounts.tokens(account)
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert renewed["access_token"] != expired
    _fill(tablet, FakeCamera(), "VL-KP2-0017")
    outcome = port.start(lambda _p: None)
    assert outcome.ok, outcome
    assert outcome.sent == 1

    revoked = tablet.http().post(
        f"/api/v1/devices/{device.id}/revoke",
        headers={"Authorization": f"Bearer {renewed['access_token']}"},
    )
    assert revoked.status_code == 200
    outcome = port.start(lambda _p: None)
    assert outcome.failure == Failure.DEVICE_REVOKED
