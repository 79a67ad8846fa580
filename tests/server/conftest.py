"""Server fixtures: a database migrated from empty by Alembic (SQLite and PostgreSQL), each
test in a transaction rolled back at its end, the app bound to that transaction, and a small
world of two provinces with users of every role."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.audit.service import SYSTEM
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.db import make_engine
from server.demo.population import random_household
from server.geography.models import Hamlet
from server.geography.service import create_commune, create_hamlet, create_province
from server.households.models import Household
from server.households.service import MemberData, record_classification, register_household
from server.migrate import upgrade
from server.settings import Settings
from shared.engine import classify, parse_household

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    """The test database, built from empty by ``alembic upgrade head``."""
    upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with _factory(connection)() as session:
        yield session


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(demo=True, password_time_cost=1, password_memory_kib=64, lockout_failures=3)


@pytest.fixture(scope="session")
def security(settings: Settings) -> Security:
    return Security(settings)


@pytest.fixture
def app(settings: Settings, connection: Connection) -> FastAPI:
    return create_app(settings, _factory(connection))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@dataclass
class World:
    """Province 1: commune 1 (hamlets A and B, urban) and commune 2 (hamlet C, rural);
    province 2: commune 3 (hamlet D, rural). One household per hamlet (``HH-A`` …, head and
    spouse), classified for 2022 from a random survey aimed at poor in A and C and not poor in B
    and D. Users: for every role one scoped to hamlet A / commune 1 / province 1 (username =
    role), and ``enumerator_b`` (hamlet B), ``officer_c2``, ``officer_c3`` (communes 2 and 3)
    and ``admin_p2`` (province 2). Everyone's password is ``PASSWORD``."""

    hamlets: dict[str, Hamlet]
    households: dict[str, Household]
    province_ids: tuple[int, int]
    commune_ids: tuple[int, int, int]


def make_world(session: Session, security: Security) -> World:
    p1 = create_province(session, SYSTEM, "38", "Thanh Hóa")
    p2 = create_province(session, SYSTEM, "40", "Nghệ An")
    c1 = create_commune(
        session, SYSTEM, p1, "15001", "Thị trấn Một", "thi_tran", "390", "Huyện Cũ", "15001"
    )
    c2 = create_commune(session, SYSTEM, p1, "15002", "Xã Hai")
    c3 = create_commune(session, SYSTEM, p2, "17001", "Xã Ba")
    hamlets = {
        "A": create_hamlet(session, SYSTEM, c1, "KP1", "Khu phố 1", "khu_pho", "urban"),
        "B": create_hamlet(session, SYSTEM, c1, "KP2", "Khu phố 2", "khu_pho", "urban"),
        "C": create_hamlet(session, SYSTEM, c2, "T1", "Thôn Một", "thon", "rural"),
        "D": create_hamlet(session, SYSTEM, c3, "B1", "Bản Một", "ban", "rural"),
    }
    names = {"A": "Nguyễn Văn Quyết", "B": "Trần Thị Đào", "C": "Lê Văn Đức", "D": "Hoàng Thị Mai"}
    households = {}
    rng = random.Random(4)
    for key, hamlet in hamlets.items():
        code = f"HH-{key}"
        households[key] = register_household(
            session,
            SYSTEM,
            hamlet,
            code,
            names[key],
            f"Số {key}",
            members=[
                MemberData("1", names[key], date(1980, 5, 1), "male", "head", "038080001234"),
                MemberData("2", f"Phạm Thị {key}", date(1984, 2, 3), "female", "spouse"),
            ],
        )
        target = "poor" if key in "AC" else "not_poor"
        document = random_household(rng, code, date(2022, 12, 15), hamlet.area, target)
        record_classification(
            session, SYSTEM, households[key], classify(parse_household(document)), 2022, "import"
        )
    in_a = Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlets["A"].id}))
    in_c1 = Scope(ScopeKind.COMMUNE, commune_id=c1.id)
    in_p1 = Scope(ScopeKind.PROVINCE, province_id=p1.id)
    scopes = {
        Role.ENUMERATOR: in_a,
        Role.HAMLET_HEAD: in_a,
        Role.HELPING_OFFICER: in_a,
        Role.COMMUNE_OFFICER: in_c1,
        Role.COMMUNE_CHAIR: in_c1,
        Role.PROVINCE_VIEWER: in_p1,
        Role.ADMIN: in_p1,
    }
    for role, scope in scopes.items():
        create_user(session, security, SYSTEM, role.value, role.value, PASSWORD, role, scope)
    create_user(
        session,
        security,
        SYSTEM,
        "enumerator_b",
        "B",
        PASSWORD,
        Role.ENUMERATOR,
        Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlets["B"].id})),
    )
    create_user(
        session,
        security,
        SYSTEM,
        "officer_c2",
        "C2",
        PASSWORD,
        Role.COMMUNE_OFFICER,
        Scope(ScopeKind.COMMUNE, commune_id=c2.id),
    )
    create_user(
        session,
        security,
        SYSTEM,
        "officer_c3",
        "C3",
        PASSWORD,
        Role.COMMUNE_OFFICER,
        Scope(ScopeKind.COMMUNE, commune_id=c3.id),
    )
    create_user(
        session,
        security,
        SYSTEM,
        "admin_p2",
        "P2",
        PASSWORD,
        Role.ADMIN,
        Scope(ScopeKind.PROVINCE, province_id=p2.id),
    )
    session.commit()
    return World(hamlets, households, (p1.id, p2.id), (c1.id, c2.id, c3.id))


@pytest.fixture
def world(session: Session, security: Security) -> World:
    return make_world(session, security)


def login(client: TestClient, username: str, device: str = "test-device-1") -> dict[str, str]:
    """Sign in and return the Authorization header."""
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device},
    )
    assert response.status_code == 200, response.json()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def round_with_applicant(client: TestClient, world: World, device: str) -> tuple[int, int]:
    """Open commune 1's round of 2023 as its commune officer and list household B on its Form
    01 application; return the round's and the case's id."""
    officer = login(client, "commune_officer", device)
    opened = client.post(
        "/api/v1/review/rounds",
        json={"commune_id": world.commune_ids[0], "year": 2023},
        headers=officer,
    )
    assert opened.status_code == 201, opened.json()
    round_id: int = opened.json()["id"]
    case = client.post(
        f"/api/v1/review/rounds/{round_id}/cases",
        json={"household_id": world.households["B"].id, "application": "form01"},
        headers=officer,
    )
    assert case.status_code == 201, case.json()
    return round_id, case.json()["id"]
