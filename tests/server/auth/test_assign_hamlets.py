"""Giving a user who works in hamlets other hamlets: an administrator, inside their scope,
audited; the user's scope follows at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.models import AuditEntry
from server.auth.models import User
from server.auth.policy import Principal
from server.auth.repository import scope_of
from server.auth.service import assign_hamlets, principal_of
from shared.errors import ErrorCode, RasoatError
from tests.server.conftest import World


def _user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def _principal(session: Session, username: str) -> Principal:
    return principal_of(_user(session, username), 0)


def test_an_administrator_gives_an_enumerator_hamlets_of_their_scope(
    session: Session, world: World
) -> None:
    admin = _principal(session, "admin")
    enumerator = _user(session, "enumerator_b")
    wanted = frozenset({world.hamlets["B"].id, world.hamlets["C"].id})
    assign_hamlets(session, admin, enumerator, wanted)
    session.commit()
    session.expire_all()
    assert scope_of(_user(session, "enumerator_b")).hamlet_ids == wanted
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "assign_hamlets")).one()
    assert (entry.entity_id, entry.actor_id) == (str(enumerator.id), admin.user_id)


@pytest.mark.parametrize(
    ("username", "target", "hamlets", "code"),
    [
        ("admin", "enumerator_b", "D", ErrorCode.OUT_OF_SCOPE),
        ("admin", "enumerator_b", "", ErrorCode.INVALID_REQUEST),
        ("admin", "commune_officer", "A", ErrorCode.INVALID_REQUEST),
        ("admin_p2", "enumerator_b", "D", ErrorCode.OUT_OF_SCOPE),
        ("commune_officer", "enumerator_b", "A", ErrorCode.FORBIDDEN),
    ],
)
def test_hamlets_are_given_only_inside_the_scope(
    session: Session, world: World, username: str, target: str, hamlets: str, code: ErrorCode
) -> None:
    user = _user(session, target)
    before = scope_of(user)
    with pytest.raises(RasoatError) as refused:
        assign_hamlets(
            session,
            _principal(session, username),
            user,
            frozenset(world.hamlets[h].id for h in hamlets),
        )
    assert refused.value.code is code
    assert scope_of(user) == before
