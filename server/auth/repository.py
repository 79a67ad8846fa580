"""SQL of users and devices."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from server.auth.models import Device, SignInAttempts, User, UserHamlet
from server.auth.policy import Scope, ScopeKind
from server.geography.models import Commune
from server.geography.repository import hamlets_in_scope


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def users_in_scope(session: Session, scope: Scope) -> list[User]:
    """Return users whose own scope lies inside ``scope``, by username."""
    inside = select(UserHamlet.user_id).where(UserHamlet.hamlet_id.in_(hamlets_in_scope(scope)))
    condition: ColumnElement[bool]
    if scope.kind is ScopeKind.HAMLETS:
        condition = User.id.in_(inside) & (User.scope_kind == ScopeKind.HAMLETS.value)
    elif scope.kind is ScopeKind.COMMUNE:
        condition = User.id.in_(inside) | (User.commune_id == scope.commune_id)
    else:
        communes = select(Commune.id).where(Commune.province_id == scope.province_id)
        condition = or_(
            User.id.in_(inside),
            User.commune_id.in_(communes),
            User.province_id == scope.province_id,
        )
    return list(session.scalars(select(User).where(condition).order_by(User.username)))


def scope_of(user: User) -> Scope:
    """Return the user's scope."""
    return Scope(
        kind=ScopeKind(user.scope_kind),
        province_id=user.province_id,
        commune_id=user.commune_id,
        hamlet_ids=frozenset(link.hamlet_id for link in user.hamlets),
    )


def device(session: Session, device_id: int) -> Device | None:
    return session.get(Device, device_id)


def device_of(session: Session, user_id: int, install_id: str) -> Device | None:
    return session.scalars(
        select(Device).where(Device.user_id == user_id, Device.install_id == install_id)
    ).first()


def devices_of_users(session: Session, user_ids: list[int]) -> list[Device]:
    return list(
        session.scalars(
            select(Device).where(Device.user_id.in_(user_ids)).order_by(Device.user_id, Device.id)
        )
    )


def sign_in_attempts(session: Session, key: str) -> SignInAttempts | None:
    """Return the failure count of ``key``, locked for the rest of the transaction."""
    query = select(SignInAttempts).where(SignInAttempts.key == key).with_for_update()
    return session.scalars(query).first()


def clear_sign_in_attempts(session: Session, key: str) -> None:
    session.execute(delete(SignInAttempts).where(SignInAttempts.key == key))


def add(session: Session, row: User | Device | SignInAttempts) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def users_of_hamlets(session: Session, hamlet_ids: list[int]) -> list[User]:
    """Return the users assigned any of ``hamlet_ids``, by username."""
    linked = select(UserHamlet.user_id).where(UserHamlet.hamlet_id.in_(sorted(hamlet_ids)))
    return list(session.scalars(select(User).where(User.id.in_(linked)).order_by(User.username)))


def move_to_hamlet(
    session: Session, hamlet_ids: list[int], hamlet_id: int
) -> list[tuple[int, list[int], list[int]]]:
    """Give every user assigned one of ``hamlet_ids`` the hamlet ``hamlet_id`` instead; return
    (user id, hamlet ids before, after) of each user changed."""
    moved = []
    gone = set(hamlet_ids)
    for user in users_of_hamlets(session, hamlet_ids):
        before = sorted(link.hamlet_id for link in user.hamlets)
        kept = [link for link in user.hamlets if link.hamlet_id not in gone]
        if hamlet_id not in before:
            kept.append(UserHamlet(hamlet_id=hamlet_id))
        user.hamlets = kept
        moved.append((user.id, before, sorted(link.hamlet_id for link in kept)))
    session.flush()
    return moved
