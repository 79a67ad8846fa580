"""Who may do what, and where: the one place authorization is decided.

A role grants permissions; a scope (assigned hamlets, a commune or a province) bounds where
they apply. Endpoints declare the permission they need (``server.auth.dependencies``) and
services ask ``require_place`` before touching a record of a hamlet; list queries are bounded
by the same scope (``server.geography.repository.hamlets_in_scope``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shared.errors import ErrorCode, RasoatError


class Role(StrEnum):
    ENUMERATOR = "enumerator"
    HAMLET_HEAD = "hamlet_head"
    HELPING_OFFICER = "helping_officer"
    COMMUNE_OFFICER = "commune_officer"
    COMMUNE_CHAIR = "commune_chair"
    PROVINCE_VIEWER = "province_viewer"
    ADMIN = "admin"


class ScopeKind(StrEnum):
    HAMLETS = "hamlets"
    COMMUNE = "commune"
    PROVINCE = "province"


class Permission(StrEnum):
    READ_REGISTRY = "read_registry"
    SEE_NATIONAL_IDS = "see_national_ids"
    EDIT_HOUSEHOLDS = "edit_households"
    SUBMIT_SURVEYS = "submit_surveys"
    MANAGE_USERS = "manage_users"
    MANAGE_DEVICES = "manage_devices"
    MANAGE_GEOGRAPHY = "manage_geography"
    READ_AUDIT = "read_audit"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    REGISTER_EXITS = "register_exits"
    RECORD_VISITS = "record_visits"
    MANAGE_SUPPORT = "manage_support"
    MANAGE_REVIEW = "manage_review"
    RECORD_MEETINGS = "record_meetings"
    RECOGNISE_LISTS = "recognise_lists"
    READ_REPORTS = "read_reports"
    SET_TARGETS = "set_targets"
    SIGN_OFF_ROUNDS = "sign_off_rounds"
    MERGE_HAMLETS = "merge_hamlets"


P = Permission
GRANTS: dict[Role, frozenset[Permission]] = {
    # Collects the roster door to door, so checks identity documents.
    Role.ENUMERATOR: frozenset(
        {P.READ_REGISTRY, P.SEE_NATIONAL_IDS, P.EDIT_HOUSEHOLDS, P.SUBMIT_SURVEYS}
    ),
    # Helps list the hamlet's households.
    # Chairs the hamlet meeting and records its attendance, votes and minutes; registers the
    # households committing to exit poverty.
    Role.HAMLET_HEAD: frozenset(
        {P.READ_REGISTRY, P.EDIT_HOUSEHOLDS, P.RECORD_MEETINGS, P.REGISTER_EXITS}
    ),
    # Visits the households assigned to them and records the support delivered.
    Role.HELPING_OFFICER: frozenset({P.READ_REGISTRY, P.RECORD_VISITS}),
    # Runs the review day to day, compiles the lists that carry ID numbers, and settles
    # overlapping edits that tablets synced; runs the review round (review, posting,
    # complaints) and may record a hamlet meeting on the hamlet head's behalf; confirms the
    # exit registrations, keeps the helping officers' registry, decides their assignments and
    # the support plans.
    Role.COMMUNE_OFFICER: frozenset(
        {
            P.READ_REGISTRY,
            P.SEE_NATIONAL_IDS,
            P.EDIT_HOUSEHOLDS,
            P.SUBMIT_SURVEYS,
            P.MANAGE_DEVICES,
            P.RESOLVE_CONFLICTS,
            P.MANAGE_REVIEW,
            P.RECORD_MEETINGS,
            P.REGISTER_EXITS,
            P.RECORD_VISITS,
            P.MANAGE_SUPPORT,
            P.READ_REPORTS,
            P.SET_TARGETS,
            # The commune reorganises its thôn and tổ dân phố (from 2026); a hamlet head may
            # not merge their own hamlet away.
            P.MERGE_HAMLETS,
        }
    ),
    # Recognises the lists by decision (Form 02) and signs the certificates (Form 03); sets
    # the commune's year-end targets (seed 003's plan is the chair's) and files its reports.
    Role.COMMUNE_CHAIR: frozenset(
        {P.READ_REGISTRY, P.RECOGNISE_LISTS, P.READ_REPORTS, P.SET_TARGETS}
    ),
    # Receives the communes' reports and rolls them up; signs off a commune's round once its
    # figures are checked, which locks them until the province reopens the round.
    Role.PROVINCE_VIEWER: frozenset({P.READ_REGISTRY, P.READ_REPORTS, P.SIGN_OFF_ROUNDS}),
    Role.ADMIN: frozenset(
        {
            P.READ_REGISTRY,
            P.MANAGE_USERS,
            P.MANAGE_DEVICES,
            P.MANAGE_GEOGRAPHY,
            P.MERGE_HAMLETS,
            P.READ_AUDIT,
        }
    ),
}

SCOPES_OF_ROLE: dict[Role, frozenset[ScopeKind]] = {
    Role.ENUMERATOR: frozenset({ScopeKind.HAMLETS}),
    Role.HAMLET_HEAD: frozenset({ScopeKind.HAMLETS}),
    Role.HELPING_OFFICER: frozenset({ScopeKind.HAMLETS}),
    Role.COMMUNE_OFFICER: frozenset({ScopeKind.COMMUNE}),
    Role.COMMUNE_CHAIR: frozenset({ScopeKind.COMMUNE}),
    Role.PROVINCE_VIEWER: frozenset({ScopeKind.PROVINCE}),
    Role.ADMIN: frozenset({ScopeKind.COMMUNE, ScopeKind.PROVINCE}),
}


@dataclass(frozen=True)
class Place:
    """Where a record lives: its hamlet, commune and province."""

    hamlet_id: int | None
    commune_id: int
    province_id: int


@dataclass(frozen=True)
class Scope:
    """The area a user works in."""

    kind: ScopeKind
    province_id: int | None = None
    commune_id: int | None = None
    hamlet_ids: frozenset[int] = field(default_factory=frozenset)

    def covers(self, place: Place) -> bool:
        """Return True when ``place`` (a hamlet, or a whole commune when its hamlet_id is
        None) lies inside this scope."""
        if self.kind is ScopeKind.PROVINCE:
            return place.province_id == self.province_id
        if self.kind is ScopeKind.COMMUNE:
            return place.commune_id == self.commune_id
        return place.hamlet_id is not None and place.hamlet_id in self.hamlet_ids

    def contains(self, other: Scope, other_places: list[Place]) -> bool:
        """Return True when every place of ``other`` (given as ``other_places``: its hamlets,
        or its commune, or a place in its province) lies inside this scope."""
        if self.kind is ScopeKind.PROVINCE:
            return all(place.province_id == self.province_id for place in other_places)
        if self.kind is ScopeKind.COMMUNE:
            return other.kind is not ScopeKind.PROVINCE and all(
                place.commune_id == self.commune_id for place in other_places
            )
        return other.kind is ScopeKind.HAMLETS and other.hamlet_ids <= self.hamlet_ids


@dataclass(frozen=True)
class Principal:
    """The signed-in user behind a request, on the device they signed in from."""

    user_id: int
    username: str
    role: Role
    scope: Scope
    device_id: int

    @property
    def permissions(self) -> frozenset[Permission]:
        return GRANTS[self.role]

    def can(self, permission: Permission) -> bool:
        """Return True when the role grants ``permission``."""
        return permission in GRANTS[self.role]


def require(principal: Principal, permission: Permission) -> None:
    """Raise FORBIDDEN unless the principal's role grants ``permission``."""
    if not principal.can(permission):
        raise RasoatError(ErrorCode.FORBIDDEN, permission=permission.value)


def require_any(principal: Principal, *permissions: Permission) -> None:
    """Raise FORBIDDEN unless the principal's role grants at least one of ``permissions``."""
    if not any(principal.can(permission) for permission in permissions):
        raise RasoatError(ErrorCode.FORBIDDEN, permission=" | ".join(p.value for p in permissions))


def require_place(principal: Principal, permission: Permission, place: Place) -> None:
    """Raise FORBIDDEN or OUT_OF_SCOPE unless the principal may use ``permission`` at
    ``place``."""
    require(principal, permission)
    if not principal.scope.covers(place):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)


def check_role_scope(role: Role, kind: ScopeKind) -> None:
    """Raise INVALID_REQUEST when a role is given a scope it does not work at."""
    if kind not in SCOPES_OF_ROLE[role]:
        allowed = ", ".join(sorted(SCOPES_OF_ROLE[role]))
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"a {role.value} works at scope {allowed}"
        )
