"""SQL of provinces, communes and hamlets, and of scopes as SQL conditions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from server.auth.policy import Place, Scope, ScopeKind
from server.geography.models import Commune, Hamlet, HamletChange, Province


def hamlets_in_scope(scope: Scope) -> Select[int]:
    """Return a query of the ids of the hamlets inside ``scope``."""
    query = select(Hamlet.id)
    if scope.kind is ScopeKind.HAMLETS:
        return query.where(Hamlet.id.in_(sorted(scope.hamlet_ids)))
    if scope.kind is ScopeKind.COMMUNE:
        return query.where(Hamlet.commune_id == scope.commune_id)
    communes = select(Commune.id).where(Commune.province_id == scope.province_id)
    return query.where(Hamlet.commune_id.in_(communes))


def commune_in_scope(scope: Scope) -> ColumnElement[bool]:
    """Return a condition on communes: at least one of its hamlets is in ``scope``."""
    if scope.kind is ScopeKind.PROVINCE:
        return Commune.province_id == scope.province_id
    if scope.kind is ScopeKind.COMMUNE:
        return Commune.id == scope.commune_id
    return Commune.id.in_(select(Hamlet.commune_id).where(Hamlet.id.in_(sorted(scope.hamlet_ids))))


def place_of(hamlet: Hamlet) -> Place:
    """Return where ``hamlet`` lies."""
    return Place(hamlet.id, hamlet.commune_id, hamlet.commune.province_id)


def place_of_commune(commune: Commune) -> Place:
    """Return the commune as a place (no particular hamlet)."""
    return Place(None, commune.id, commune.province_id)


def province(session: Session, province_id: int) -> Province | None:
    return session.get(Province, province_id)


def province_by_code(session: Session, code: str) -> Province | None:
    return session.scalars(select(Province).where(Province.code == code)).first()


def commune(session: Session, commune_id: int) -> Commune | None:
    return session.get(Commune, commune_id)


def commune_by_code(session: Session, code: str) -> Commune | None:
    return session.scalars(select(Commune).where(Commune.code == code)).first()


def communes(session: Session, scope: Scope) -> list[Commune]:
    """Return the communes inside ``scope``, by code."""
    return list(
        session.scalars(select(Commune).where(commune_in_scope(scope)).order_by(Commune.code))
    )


def hamlet(session: Session, hamlet_id: int) -> Hamlet | None:
    return session.get(Hamlet, hamlet_id)


def hamlet_by_code(session: Session, commune_id: int, code: str) -> Hamlet | None:
    return session.scalars(
        select(Hamlet).where(Hamlet.commune_id == commune_id, Hamlet.code == code)
    ).first()


def hamlets(session: Session, scope: Scope, commune_id: int | None = None) -> list[Hamlet]:
    """Return the hamlets in use inside ``scope`` (of one commune when given), by commune and
    code; those merged away are left out."""
    query = select(Hamlet).where(
        Hamlet.id.in_(hamlets_in_scope(scope)), Hamlet.retired_on.is_(None)
    )
    if commune_id is not None:
        query = query.where(Hamlet.commune_id == commune_id)
    return list(session.scalars(query.order_by(Hamlet.commune_id, Hamlet.code)))


def hamlets_by_id(session: Session, ids: Iterable[int]) -> dict[int, Hamlet]:
    wanted = sorted(set(ids))
    return {h.id: h for h in session.scalars(select(Hamlet).where(Hamlet.id.in_(wanted)))}


def add(session: Session, row: Province | Commune | Hamlet | HamletChange) -> None:
    """Insert ``row`` and flush it so it has an id."""
    session.add(row)
    session.flush()


def current_hamlets(session: Session, commune_id: int) -> list[Hamlet]:
    """Return the commune's hamlets in use (not merged away), by code."""
    query = select(Hamlet).where(Hamlet.commune_id == commune_id, Hamlet.retired_on.is_(None))
    return list(session.scalars(query.order_by(Hamlet.code)))


def changes_of(session: Session, hamlet_ids: Iterable[int]) -> dict[int, list[HamletChange]]:
    """Return each hamlet's merges and renames (it is the hamlet made or kept), oldest first."""
    query = (
        select(HamletChange)
        .where(HamletChange.hamlet_id.in_(sorted(set(hamlet_ids))))
        .order_by(HamletChange.effective_on, HamletChange.id)
    )
    found: dict[int, list[HamletChange]] = {}
    for change in session.scalars(query):
        found.setdefault(change.hamlet_id, []).append(change)
    return found


def commune_changes(session: Session, commune_id: int) -> list[HamletChange]:
    """Return the commune's merges and renames, newest first."""
    query = select(HamletChange).where(HamletChange.commune_id == commune_id)
    return list(
        session.scalars(query.order_by(HamletChange.effective_on.desc(), HamletChange.id.desc()))
    )


def merged_away(session: Session, hamlet_ids: Iterable[int]) -> dict[int, list[int]]:
    """Return, for each of ``hamlet_ids`` that hamlets were merged into, their ids."""
    query = (
        select(Hamlet.merged_into_id, Hamlet.id)
        .where(Hamlet.merged_into_id.in_(sorted(set(hamlet_ids))))
        .order_by(Hamlet.id)
    )
    found: dict[int, list[int]] = {}
    for into, hamlet_id in session.execute(query):
        if into is not None:
            found.setdefault(into, []).append(hamlet_id)
    return found


def successors(session: Session, hamlets: Iterable[Hamlet]) -> dict[int, Hamlet]:
    """Return, for each hamlet given, the hamlet in use that holds it now: itself, or the one
    it was merged into (following merges of merges)."""
    found: dict[int, Hamlet] = {}
    for hamlet in hamlets:
        current = hamlet
        while current.merged_into_id is not None:
            following = session.get(Hamlet, current.merged_into_id)
            if following is None:
                break
            current = following
        found[hamlet.id] = current
    return found
