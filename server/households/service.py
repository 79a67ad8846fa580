"""Rules of the household registry: scope-bounded reading, masking identity numbers,
registering households, and recording a class per year without overwriting history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require, require_place
from server.geography import repository as geography
from server.geography.models import Hamlet
from server.households import repository
from server.households.models import Classification, Household, HouseholdYear, Member
from server.households.repository import HouseholdFilter
from server.text import fold
from shared.engine import Classification as EngineResult
from shared.errors import ErrorCode, Lang, RasoatError


def mask_national_id(number: str | None) -> str | None:
    """Return the number with all but its last three digits hidden."""
    if number is None:
        return None
    return "•" * max(len(number) - 3, 0) + number[-3:]


@dataclass(frozen=True)
class MemberData:
    member_no: str
    full_name: str
    birth_date: date | None = None
    sex: str | None = None
    relation: str | None = None
    national_id: str | None = None
    national_id_issued_on: date | None = None
    national_id_issued_by: str | None = None
    ethnicity: str | None = None
    permanent_residence: str | None = None
    current_residence: str | None = None
    activity: str | None = None
    no_labour_capacity: bool | None = None
    monthly_social_allowance_vnd: int | None = None
    revolutionary_merit: bool | None = None


def _listed(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


@dataclass(frozen=True)
class SurveyFacts:
    """What a survey found of the household as a whole: its special groups and causes of
    poverty (shared.household's codes, without the forms' "none"); None is "not recorded".
    ``members`` holds what it found of each member the registry numbers: the facts of
    Decision 24's forms (shared.household_paths.MEMBER_FACTS) by member number."""

    special_groups: Sequence[str] | None = None
    poverty_causes: Sequence[str] | None = None
    poverty_cause_other: str | None = None
    members: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        """Return the facts as the household's column values."""
        return {
            "special_groups": _listed(self.special_groups),
            "poverty_causes": _listed(self.poverty_causes),
            "poverty_cause_other": self.poverty_cause_other,
        }


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    year: int | None


@dataclass(frozen=True)
class Detail:
    household: Household
    hamlet: Hamlet
    history: list[Classification]
    standing: dict[int, int]
    show_ids: bool


def names_folded(head_name: str, members: list[Member]) -> str:
    """Return the folded names searched by household: the head's and every member's."""
    names = [fold(head_name)] + [m.name_folded for m in members]
    return " | ".join(dict.fromkeys(names))[:4000]


@dataclass(frozen=True)
class Listing:
    """What a list request asks for: filters, a name to search, and the page."""

    hamlet_id: int | None = None
    household_class: str | None = None
    year: int | None = None
    query: str | None = None
    page: int = 1
    page_size: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def _filter(session: Session, listing: Listing) -> HouseholdFilter:
    year = listing.year
    if listing.household_class is not None and year is None:
        year = repository.latest_year(session)
    folded = fold(listing.query) if listing.query else None
    return HouseholdFilter(listing.hamlet_id, listing.household_class, year, folded or None)


def list_households(session: Session, principal: Principal, listing: Listing) -> Page:
    """Return a page of households in the principal's scope. A class filter without a year
    applies to the latest year on record; the query matches names without diacritics."""
    require(principal, Permission.READ_REGISTRY)
    where = _filter(session, listing)
    rows, total = repository.households(
        session, principal.scope, where, listing.offset, listing.page_size
    )
    return Page(rows, total, where.year)


def list_members(session: Session, principal: Principal, listing: Listing) -> Page:
    """Return a page of members of households in the principal's scope; the query matches
    member names."""
    require(principal, Permission.READ_REGISTRY)
    where = _filter(session, listing)
    rows, total = repository.members(
        session, principal.scope, where, listing.offset, listing.page_size
    )
    return Page(rows, total, where.year)


def household_points(
    session: Session, principal: Principal, year: int | None
) -> list[tuple[int, str, str, str, float | None, float | None, str | None]]:
    """Return every positioned household in the principal's scope with its hamlet's name and
    its class in ``year`` (the console's map)."""
    require(principal, Permission.READ_REGISTRY)
    return repository.points(session, principal.scope, year)


def household_for(
    session: Session, principal: Principal, permission: Permission, household_id: int
) -> Household:
    """Return the household when the principal may use ``permission`` on it."""
    household = repository.household(session, household_id)
    if household is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"household {household_id}")
    hamlet = geography.hamlet(session, household.hamlet_id)
    assert hamlet is not None
    require_place(principal, permission, geography.place_of(hamlet))
    return household


def detail(session: Session, principal: Principal, household_id: int) -> Detail:
    """Return the household with members, class history and what stands per year."""
    household = household_for(session, principal, Permission.READ_REGISTRY, household_id)
    hamlet = geography.hamlet(session, household.hamlet_id)
    assert hamlet is not None
    return Detail(
        household=household,
        hamlet=hamlet,
        history=repository.history(session, household.id),
        standing=repository.standing(session, household.id),
        show_ids=principal.can(Permission.SEE_NATIONAL_IDS),
    )


@dataclass(frozen=True)
class Classified:
    """A household to load in bulk with its engine result."""

    code: str
    head_name: str
    address: str
    latitude: float | None
    longitude: float | None
    members: list[MemberData]
    result: EngineResult


def _member_rows(members: list[MemberData]) -> list[Member]:
    return [
        Member(
            member_no=m.member_no,
            position=index,
            full_name=m.full_name,
            name_folded=fold(m.full_name)[:120],
            birth_date=m.birth_date,
            sex=m.sex,
            relation=m.relation,
            national_id=m.national_id,
            national_id_issued_on=m.national_id_issued_on,
            national_id_issued_by=m.national_id_issued_by,
            ethnicity=m.ethnicity,
            permanent_residence=m.permanent_residence,
            current_residence=m.current_residence,
            activity=m.activity,
            no_labour_capacity=m.no_labour_capacity,
            monthly_social_allowance_vnd=m.monthly_social_allowance_vnd,
            revolutionary_merit=m.revolutionary_merit,
        )
        for index, m in enumerate(members)
    ]


def _classification_row(
    household_id: int,
    result: EngineResult,
    year: int,
    source: str,
    survey_id: int | None,
    recorded_by: int | None,
) -> Classification:
    return Classification(
        household_id=household_id,
        year=year,
        household_class=result.household_class,
        standard_id=result.standard.id,
        complete=result.complete,
        deprived=list(result.deprived),
        result=result.facts(),
        source=source,
        survey_id=survey_id,
        recorded_by=recorded_by,
    )


def load_households(
    session: Session,
    actor: Actor,
    hamlet: Hamlet,
    entries: list[Classified],
    year: int,
    source: str,
) -> list[Household]:
    """Register many new households of ``hamlet`` with their class for ``year`` in a few
    statements, recorded in the audit log as one entry; raise HOUSEHOLD_CODE_TAKEN for a
    taken code."""
    taken = repository.codes_taken(session, hamlet.commune_id, [e.code for e in entries])
    if taken:
        raise RasoatError(ErrorCode.HOUSEHOLD_CODE_TAKEN, codes=", ".join(taken[:5]))
    households = []
    for entry in entries:
        rows = _member_rows(entry.members)
        households.append(
            Household(
                hamlet_id=hamlet.id,
                commune_id=hamlet.commune_id,
                code=entry.code,
                head_name=entry.head_name,
                address=entry.address,
                latitude=entry.latitude,
                longitude=entry.longitude,
                names_folded=names_folded(entry.head_name, rows),
                members=rows,
            )
        )
    repository.add_all(session, households)
    classifications = [
        _classification_row(h.id, e.result, year, source, None, actor.user_id)
        for h, e in zip(households, entries, strict=True)
    ]
    repository.add_all(session, classifications)
    repository.add_all(
        session,
        [
            HouseholdYear(
                household_id=c.household_id,
                year=year,
                household_class=c.household_class,
                classification_id=c.id,
            )
            for c in classifications
        ],
    )
    record(
        session,
        actor,
        "load",
        "hamlet",
        hamlet.id,
        after={"households": len(households), "year": year, "source": source},
    )
    return households


def register_household(
    session: Session,
    actor: Actor,
    hamlet: Hamlet,
    code: str,
    head_name: str,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    members: list[MemberData] | None = None,
    facts: SurveyFacts | None = None,
) -> Household:
    """Return a new household of ``hamlet`` with its members and what a survey found of it;
    raise HOUSEHOLD_CODE_TAKEN for a taken code in its commune."""
    if repository.household_by_code(session, hamlet.commune_id, code) is not None:
        raise RasoatError(ErrorCode.HOUSEHOLD_CODE_TAKEN, codes=code)
    rows = _member_rows(members or [])
    household = Household(
        hamlet_id=hamlet.id,
        commune_id=hamlet.commune_id,
        code=code,
        head_name=head_name,
        address=address,
        latitude=latitude,
        longitude=longitude,
        names_folded=names_folded(head_name, rows),
        members=rows,
        **(facts or SurveyFacts()).facts(),
    )
    repository.add(session, household)
    record(
        session,
        actor,
        "create",
        "household",
        household.id,
        after={
            "code": code,
            "hamlet_id": hamlet.id,
            "head_name": head_name,
            "members": [m.member_no for m in rows],
            **(facts or SurveyFacts()).facts(),
        },
    )
    return household


def _stored(name: str, value: Any) -> Any:
    """Return a member's fact as its column holds it: a date column's from its ISO text (the
    document is JSON; the engine has checked the date)."""
    if isinstance(value, str) and Member.__table__.c[name].type.python_type is date:
        return date.fromisoformat(value)
    return value


def _audited(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _member_changes(
    household: Household, found: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the facts a survey recorded of each member the registry holds; return the facts
    changed, before and after, by member number. A fact the survey did not record stays as
    the registry had it, and a person the registry does not number yet (a newborn the survey
    lists) is added by a household edit, not here: a survey names no one."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for member in household.members:
        for name, value in found.get(member.member_no, {}).items():
            stored = _stored(name, value)
            held = getattr(member, name)
            if held == stored:
                continue
            before.setdefault(member.member_no, {})[name] = _audited(held)
            after.setdefault(member.member_no, {})[name] = _audited(stored)
            setattr(member, name, stored)
    return before, after


def record_survey_facts(
    session: Session, actor: Actor, household: Household, facts: SurveyFacts
) -> None:
    """Keep what a survey found of the household as a whole and of its members, replacing the
    previous survey's answers, and audit the change; a survey that recorded nothing of it (an
    older form) leaves the household as it was. This is the one path a survey's facts take
    into the registry."""
    after = facts.facts()
    before = {name: getattr(household, name) for name in after}
    if all(value is None for value in after.values()) or before == after:
        before, after = {}, {}
    for name, value in after.items():
        setattr(household, name, value)
    members_before, members_after = _member_changes(household, facts.members)
    if members_after:
        before["members"] = members_before
        after["members"] = members_after
    if not after:
        return
    session.flush()
    record(session, actor, "update", "household", household.id, before=before, after=after)


def create_household(
    session: Session,
    principal: Principal,
    actor: Actor,
    hamlet_id: int,
    code: str,
    head_name: str,
    address: str,
    latitude: float | None,
    longitude: float | None,
    members: list[MemberData],
    facts: SurveyFacts | None = None,
) -> Household:
    """Register a household in a hamlet the principal may edit."""
    hamlet = geography.hamlet(session, hamlet_id)
    if hamlet is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id}")
    require_place(principal, Permission.EDIT_HOUSEHOLDS, geography.place_of(hamlet))
    if len({m.member_no for m in members}) != len(members):
        raise RasoatError(ErrorCode.DUPLICATE_MEMBER_NO)
    return register_household(
        session, actor, hamlet, code, head_name, address, latitude, longitude, members, facts
    )


def record_classification(
    session: Session,
    actor: Actor,
    household: Household,
    result: EngineResult,
    year: int,
    source: str,
    survey_id: int | None = None,
) -> Classification:
    """Add a classification to the household's history and make it the one that stands for
    ``year``; earlier ones stay as they were."""
    row = _classification_row(household.id, result, year, source, survey_id, actor.user_id)
    repository.add(session, row)
    stand_for_year(session, actor, row)
    return row


def stand_for_year(session: Session, actor: Actor, row: Classification, **audit: object) -> None:
    """Make the (already added) classification ``row`` the household's standing class for its
    year and audit the change; ``audit`` adds facts to the audit record (a decision number)."""
    standing = repository.year_class(session, row.household_id, row.year)
    before = (
        None
        if standing is None
        else {"class": standing.household_class, "classification_id": standing.classification_id}
    )
    if standing is None:
        repository.add(
            session,
            HouseholdYear(
                household_id=row.household_id,
                year=row.year,
                household_class=row.household_class,
                classification_id=row.id,
            ),
        )
    else:
        standing.household_class = row.household_class
        standing.classification_id = row.id
        session.flush()
    record(
        session,
        actor,
        "classify",
        "household",
        row.household_id,
        before=before,
        after={
            "year": row.year,
            "class": row.household_class,
            "classification_id": row.id,
            "standard": row.standard_id,
            "deprived": row.deprived,
            "source": row.source,
            **audit,
        },
    )


def result_in(classification: Classification, lang: Lang) -> dict[str, Any]:
    """Return the stored engine result in ``lang``; for a class decided with no survey behind
    it (a recognised average-living household) there is none, so the class and the decision."""
    return classification.rendered(lang)
