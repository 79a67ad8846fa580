"""Merging and renaming hamlets (issue 20): households move with their history, users follow,
the boundary is the union, and every refusal is a catalog error with a Vietnamese message."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.audit.service import SYSTEM, Actor
from server.auth import repository as accounts
from server.auth.policy import Principal
from server.auth.service import principal_of
from server.geography.merges import MergeRequest
from server.geography.models import Hamlet, HamletChange
from server.geography.service import create_hamlet, set_boundary
from server.households.models import HouseholdYear
from server.reorganisation import merge, preview
from shared.errors import ErrorCode, RasoatError
from tests.server.conftest import World

ON = date(2026, 1, 1)


def _principal(session: Session, username: str) -> Principal:
    user = accounts.user_by_username(session, username)
    assert user is not None
    return principal_of(user, 0)


def _square(west: float) -> dict[str, object]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, 20.0], [west + 0.01, 20.0], [west + 0.01, 20.01], [west, 20.01], [west, 20.0]]
        ],
    }


def _refusal(session: Session, username: str, asked: MergeRequest) -> RasoatError:
    with pytest.raises(RasoatError) as refused:
        merge(session, _principal(session, username), SYSTEM, asked)
    return refused.value


def test_merging_two_hamlets_moves_households_users_and_boundaries(
    session: Session, world: World
) -> None:
    a, b = world.hamlets["A"], world.hamlets["B"]
    set_boundary(session, SYSTEM, a, _square(105.80))
    set_boundary(session, SYSTEM, b, _square(105.81))
    history = {
        row.household_id: (row.year, row.household_class)
        for row in session.scalars(select(HouseholdYear))
    }
    officer = _principal(session, "commune_officer")
    asked = MergeRequest((a.id, b.id), ON, name="Khu phố Mới")

    seen = preview(session, officer, asked)
    assert (seen.moving, seen.total) == (2, 2)
    assert {u.username for u in seen.plan.users} == {
        "enumerator",
        "hamlet_head",
        "helping_officer",
        "enumerator_b",
    }

    made = merge(session, officer, Actor(officer.user_id, officer.username), asked)
    merged = made.done.hamlet
    assert (merged.name, merged.code, merged.valid_from) == ("Khu phố Mới", "KP1-KP2", ON)
    assert made.households == 2
    for old in (a, b):
        session.refresh(old)
        assert (old.retired_on, old.merged_into_id) == (ON, merged.id)
    for household in world.households["A"], world.households["B"]:
        session.refresh(household)
        assert household.hamlet_id == merged.id
    after = {
        row.household_id: (row.year, row.household_class)
        for row in session.scalars(select(HouseholdYear))
    }
    assert after == history
    union = shape(merged.boundary)
    assert union.geom_type == "Polygon"
    assert union.area == pytest.approx(2 * shape(_square(105.80)).area)
    for username in ("enumerator", "hamlet_head", "enumerator_b"):
        user = accounts.user_by_username(session, username)
        assert user is not None
        session.refresh(user)
        assert [link.hamlet_id for link in user.hamlets] == [merged.id]
    change = session.scalars(select(HamletChange)).one()
    assert (change.kind, change.households, change.users) == ("merge", 2, 4)
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    assert actions.count("merge_hamlets") == 1
    assert actions.count("assign_hamlets") == 4


def test_merging_into_one_of_them_keeps_it(session: Session, world: World) -> None:
    a, b = world.hamlets["A"], world.hamlets["B"]
    officer = _principal(session, "commune_officer")
    made = merge(session, officer, SYSTEM, MergeRequest((a.id, b.id), ON, into_id=a.id))
    assert made.done.hamlet.id == a.id
    assert [h.id for h in made.done.retired] == [b.id]
    assert (a.retired_on, a.name) == (None, "Khu phố 1")
    session.refresh(world.households["B"])
    assert world.households["B"].hamlet_id == a.id


def test_renaming_a_hamlet(session: Session, world: World) -> None:
    a = world.hamlets["A"]
    officer = _principal(session, "commune_officer")
    made = merge(
        session, officer, SYSTEM, MergeRequest((a.id,), ON, name="Khu phố Đông", rename=True)
    )
    assert (made.done.hamlet.id, made.done.hamlet.name, made.households) == (
        a.id,
        "Khu phố Đông",
        0,
    )
    assert made.done.change.parts == [{"id": a.id, "code": "KP1", "name": "Khu phố 1"}]


def test_a_hamlet_head_may_not_merge(session: Session, world: World) -> None:
    a, b = world.hamlets["A"], world.hamlets["B"]
    refused = _refusal(session, "hamlet_head", MergeRequest((a.id, b.id), ON, name="Khu phố Mới"))
    assert refused.code is ErrorCode.FORBIDDEN


def test_another_communes_officer_may_not_merge(session: Session, world: World) -> None:
    a, b = world.hamlets["A"], world.hamlets["B"]
    refused = _refusal(session, "officer_c2", MergeRequest((a.id, b.id), ON, name="Khu phố Mới"))
    assert refused.code is ErrorCode.OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("different communes", ErrorCode.HAMLETS_OF_DIFFERENT_COMMUNES),
        ("retired", ErrorCode.HAMLET_RETIRED),
        ("name taken", ErrorCode.HAMLET_NAME_TAKEN),
        ("one hamlet", ErrorCode.MERGE_NEEDS_TWO_HAMLETS),
    ],
)
def test_refusals_are_catalog_errors_in_vietnamese(
    session: Session, world: World, case: str, code: ErrorCode
) -> None:
    a, b, c = world.hamlets["A"], world.hamlets["B"], world.hamlets["C"]
    commune = a.commune
    third = create_hamlet(session, SYSTEM, commune, "KP3", "Khu phố 3", "khu_pho", "urban")
    username = "commune_officer"
    if case == "different communes":
        username, asked = "admin", MergeRequest((a.id, c.id), ON, name="Thôn Mới")
    elif case == "retired":
        merge(session, None, SYSTEM, MergeRequest((a.id, b.id), ON, name="Khu phố Mới"))
        asked = MergeRequest((a.id, third.id), ON, name="Khu phố Khác")
    elif case == "name taken":
        asked = MergeRequest((a.id, b.id), ON, name="khu pho 3")
    else:
        asked = MergeRequest((a.id,), ON, name="Khu phố Mới")
    refused = _refusal(session, username, asked)
    assert refused.code is code
    message = refused.message("vi")
    assert "{" not in message
    assert any(word in message for word in ("thôn", "gộp", "Khu phố")), message
    assert session.scalars(select(Hamlet).where(Hamlet.name == "Khu phố Khác")).first() is None
