"""A demo-like commune served by the real server app on a loopback uvicorn port (SQLite), and
a tablet whose enumerator signed in there: shared by the tablet's contract and UI tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.orm import Session, sessionmaker

from bench.sync_faults import live_server
from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.online import OnlineAuth
from mobile.presenters.form import FormPresenter
from mobile.presenters.preview import preview
from mobile.presenters.signin import SignInPresenter
from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.db import make_engine
from server.geography.service import create_commune, create_hamlet, create_province
from server.households.service import MemberData, register_household
from server.migrate import upgrade
from server.photos.storage import FolderPhotoStore
from server.settings import Settings
from tests.mobile.conftest import TEST_COST
from tests.mobile.presenters.filling import fill_poor_household

USERNAME = "huong"
PASSWORD = "mat-khau-thon-2"
HAMLET = "Thôn Khuổi Phầy 2"
# Around the fake GPS fix (22.1234, 104.5678): lon/lat, as GeoJSON has it.
CORNERS = [[104.55, 22.11], [104.58, 22.11], [104.58, 22.14], [104.55, 22.14], [104.55, 22.11]]
BOUNDARY = {"type": "Polygon", "coordinates": [CORNERS]}


@dataclass
class Served:
    url: str
    address: tuple[str, int]
    sessions: sessionmaker[Session]
    photos: FolderPhotoStore
    security: Security


def build_commune(session: Session, security: Security) -> None:
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
        USERNAME,
        "Nguyễn Thị Hường",
        PASSWORD,
        Role.ENUMERATOR,
        Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlet.id})),
    )


@contextmanager
def serve(folder: Path) -> Iterator[Served]:
    """Serve the commune from a SQLite database in ``folder``, migrated from empty."""
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings(demo=True, password_time_cost=1, password_memory_kib=64)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    security = Security(settings)
    with sessions() as session:
        build_commune(session, security)
        session.commit()
    app = create_app(settings.model_copy(update={"data_dir": folder / "server"}), sessions)
    try:
        with live_server(app) as address:
            yield Served(
                f"http://{address[0]}:{address[1]}",
                address,
                sessions,
                FolderPhotoStore(folder / "server" / "photos"),
                security,
            )
    finally:
        engine.dispose()


def signed_in_tablet(
    data_dir: Path, url: str, username: str = USERNAME, password: str = PASSWORD
) -> AppContext:
    """Return a tablet on which ``username`` (the enumerator unless told) has signed in online,
    the first time there."""
    context = AppContext(data_dir, FakeCamera(), FakeLocator(), kdf_cost=TEST_COST)
    context.settings.set("server_url", url)
    with httpx.Client(timeout=10) as http:
        signin = SignInPresenter(
            context.accounts, lambda: OnlineAuth(http, url), context.settings.device_id()
        )
        account = signin.sign_in(username, password)
    assert account is not None, signin.message
    context.signed_in(account)
    return context


def fill_review(context: AppContext, camera: FakeCamera, code: str) -> tuple[str, str, list[str]]:
    """Fill the poor household of four for household ``code`` offline; return the survey id,
    the class the preview showed and the photos' SHA-256."""
    store = context.user_store()
    household = next(h for h in store.households(store.hamlets()[0].hamlet_id) if h.code == code)
    survey = context.start_survey(household.household_id)
    p = FormPresenter(context.survey_form(survey), survey, store, camera, FakeLocator())
    fill_poor_household(p)
    if p.answers.get("area") != "rural":  # pre-filled from the hamlet: choosing again cleared it
        p.choose("area", "rural")
    p.set_text("household_id", code)
    previewed = preview(p.filled).household_class
    assert p.finish() == []
    return survey.survey_id, previewed, [ph["sha256"] for ph in store.photos(survey.survey_id)]
