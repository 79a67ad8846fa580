"""Every query of the reports: counts grouped in the database, never a loop over households.

A household's standing class in a year is its latest class of that year or any year before
(``server.households.repository.standing_rows``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple, get_args

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from server.geography.models import Commune, Hamlet, Province
from server.households.models import Classification, Household, HouseholdYear, Member
from server.households.repository import hamlet_in_year, standing_rows
from server.reports.models import CommuneTarget, HamletTarget, ServiceTargetRow
from shared.household import PovertyCause, SpecialGroup
from shared.people import majority_ethnicity
from shared.vocabulary import ON_LISTS


def commune(session: Session, commune_id: int) -> Commune | None:
    return session.get(Commune, commune_id)


def commune_by_code(session: Session, code: str) -> Commune | None:
    return session.scalars(select(Commune).where(Commune.code == code)).first()


def province(session: Session, province_id: int) -> Province | None:
    return session.get(Province, province_id)


def hamlets(session: Session, commune_id: int) -> list[Hamlet]:
    return list(
        session.scalars(select(Hamlet).where(Hamlet.commune_id == commune_id).order_by(Hamlet.id))
    )


def hamlets_of_year(session: Session, commune_id: int, year: int) -> list[Hamlet]:
    """Return the commune's hamlets as they stood in ``year``: a hamlet merged away in a year
    is gone from that year's report on, the merged hamlet counts from it."""
    after = date(year + 1, 1, 1)
    query = select(Hamlet).where(
        Hamlet.commune_id == commune_id,
        or_(Hamlet.valid_from.is_(None), Hamlet.valid_from < after),
        or_(Hamlet.retired_on.is_(None), Hamlet.retired_on >= after),
    )
    return list(session.scalars(query.order_by(Hamlet.id)))


def households_per_hamlet(session: Session, commune_ids: Sequence[int]) -> dict[int, int]:
    """Return hamlet id → registered households of the communes."""
    query = (
        select(Household.hamlet_id, func.count())
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id.in_(commune_ids))
        .group_by(Household.hamlet_id)
    )
    return dict(session.execute(query).all())


class HamletClasses(NamedTuple):
    """Per hamlet id: registered households, and the standing poor and near-poor households at
    the start of the year and now."""

    households: dict[int, int]
    start: dict[int, dict[str, int]]
    now: dict[int, dict[str, int]]


def hamlet_classes(session: Session, commune_ids: Sequence[int], year: int) -> HamletClasses:
    """Return the registered households and the standing poor and near-poor at the start of
    ``year`` and now, per hamlet of the communes, in one pass over the households.

    Now is the household's class of ``year`` when it was classified in it, else its class at
    the start of the year; so only the start needs the anti-join, and only over the rows on the
    lists (a household whose start class is off the lists counts for neither column)."""
    start = standing_rows(year - 1, ON_LISTS)
    this_year = aliased(HouseholdYear, name="this_year")
    now_class = func.coalesce(this_year.household_class, start.c.household_class)

    def counted(column: ColumnElement[Any], household_class: str) -> ColumnElement[int]:
        return func.sum(case((column == household_class, 1), else_=0))

    moved, hamlet_then = hamlet_in_year(year)
    query = (
        select(
            hamlet_then,
            func.count(),
            *(counted(start.c.household_class, c) for c in ON_LISTS),
            *(counted(now_class, c) for c in ON_LISTS),
        )
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(moved, moved.c.household_id == Household.id)
        .outerjoin(start, start.c.household_id == Household.id)
        .outerjoin(this_year, and_(this_year.household_id == Household.id, this_year.year == year))
        .where(Hamlet.commune_id.in_(commune_ids))
        .group_by(hamlet_then)
    )
    found = HamletClasses({}, {}, {})
    lists = len(ON_LISTS)
    for hamlet_id, households, *counts in session.execute(query):
        found.households[hamlet_id] = households
        found.start[hamlet_id] = dict(zip(ON_LISTS, counts[:lists], strict=True))
        found.now[hamlet_id] = dict(zip(ON_LISTS, counts[lists:], strict=True))
    return found


def classes_per_hamlet(
    session: Session, commune_ids: Sequence[int], year: int
) -> dict[int, dict[str, int]]:
    """Return hamlet id → standing class → households of the communes in ``year``."""
    now = standing_rows(year)
    query = (
        select(Household.hamlet_id, now.c.household_class, func.count())
        .join(now, now.c.household_id == Household.id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id.in_(commune_ids))
        .group_by(Household.hamlet_id, now.c.household_class)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for hamlet_id, household_class, n in session.execute(query):
        found[hamlet_id][household_class] = n
    return dict(found)


def transitions(
    session: Session, commune_id: int, year: int
) -> list[tuple[int, str | None, str, bool, int]]:
    """Return (hamlet id, class at the start of the year or None, class now, poor in an
    earlier year, households) for the households classified during ``year`` whose class
    changed: only they can have moved."""
    now = aliased(HouseholdYear, name="now_row")
    start = standing_rows(year - 1)
    earlier = aliased(HouseholdYear, name="earlier_row")
    poor_before = exists().where(
        earlier.household_id == now.household_id,
        earlier.year < year - 1,
        earlier.household_class == "poor",
    )
    moved, hamlet_then = hamlet_in_year(year)
    query = (
        select(
            hamlet_then,
            start.c.household_class,
            now.household_class,
            poor_before,
            func.count(),
        )
        .select_from(now)
        .join(Household, Household.id == now.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(moved, moved.c.household_id == Household.id)
        .outerjoin(start, start.c.household_id == now.household_id)
        .where(
            Hamlet.commune_id == commune_id,
            now.year == year,
            or_(start.c.household_class.is_(None), start.c.household_class != now.household_class),
        )
        .group_by(hamlet_then, start.c.household_class, now.household_class, poor_before)
    )
    return [(h, s, n, bool(p), c) for h, s, n, p, c in session.execute(query)]


def _deprived_in(session: Session, column: Any, indicator: str) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        # JSONB's own containment test: casting the list to text once per indicator and row
        # cost most of the province-wide rates.
        return column.op("?")(indicator)  # type: ignore[no-any-return]
    # SQLite keeps the list as JSON text, which quotes every id, and ids never contain one
    # another in quotes, so a LIKE is exact.
    return cast(column, String).like(f'%"{indicator}"%')


def _deprivation_count(session: Session, column: Any) -> ColumnElement[int]:
    if session.get_bind().dialect.name == "postgresql":
        return func.jsonb_array_length(column)
    return func.json_array_length(column)


def _without_jit(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # The planner costs the per-indicator sums of a province high enough to inline and
        # optimise them with JIT, which took longer (over 3 s) than running them (about 1 s).
        # SET LOCAL ends with the transaction, which is the request's.
        session.execute(text("SET LOCAL jit = off"))


# The breakdown groups (shared.household.SpecialGroup) and causes of poverty (PovertyCause)
# the reports count.
GROUPS: tuple[str, ...] = get_args(SpecialGroup)
CAUSES: tuple[str, ...] = get_args(PovertyCause)


def _group_columns(session: Session, household_id: Any) -> list[ColumnElement[int]]:
    """Return, per breakdown group, the sum of the standing households in it, and per group
    ``recorded_<group>``, the sum of those with anything it is judged from recorded.

    A household is in a group when its review said so or its members' facts show it: a woman
    heads it; its head or the head's wife or husband belongs to an ethnic minority (every group
    but the majority Kinh, as the ethnic-minority programmes count a household); a member has
    revolutionary merit; every member was recorded without labour capacity."""

    def member(*conditions: Any) -> ColumnElement[bool]:
        row = aliased(Member)
        return exists().where(
            row.household_id == household_id, *[condition(row) for condition in conditions]
        )

    def head_or_spouse(row: Any) -> ColumnElement[bool]:
        test: ColumnElement[bool] = row.relation.in_(("head", "spouse"))
        return test

    shown = {
        "female_headed": member(lambda r: r.relation == "head", lambda r: r.sex == "female"),
        "ethnic_minority": member(head_or_spouse, lambda r: r.ethnicity != majority_ethnicity()),
        "revolutionary_merit": member(lambda r: r.revolutionary_merit.is_(True)),
        "no_labour_capacity": and_(
            member(lambda r: r.no_labour_capacity.is_(True)),
            ~member(lambda r: or_(r.no_labour_capacity.is_(None), r.no_labour_capacity.is_(False))),
        ),
    }
    recorded = {
        "female_headed": member(lambda r: r.relation == "head", lambda r: r.sex.is_not(None)),
        "ethnic_minority": member(head_or_spouse, lambda r: r.ethnicity.is_not(None)),
        "revolutionary_merit": member(lambda r: r.revolutionary_merit.is_not(None)),
        "no_labour_capacity": member(lambda r: r.no_labour_capacity.is_not(None)),
    }
    reviewed = Household.special_groups.is_not(None)
    columns: list[ColumnElement[int]] = []
    for group in GROUPS:
        said = _deprived_in(session, Household.special_groups, group)
        columns.append(func.sum(case((or_(said, shown[group]), 1), else_=0)).label(group))
        columns.append(
            func.sum(case((or_(reviewed, recorded[group]), 1), else_=0)).label(f"recorded_{group}")
        )
    for cause in CAUSES:
        said = _deprived_in(session, Household.poverty_causes, cause)
        columns.append(func.sum(case((said, 1), else_=0)).label(f"cause_{cause}"))
    return columns


def indicator_counts(
    session: Session, commune_ids: Iterable[int], year: int, indicators: Sequence[str]
) -> list[dict[str, Any]]:
    """Return, per hamlet and class (poor, near-poor): households, deprived households per
    indicator in ``year``, households per breakdown group (and with the group's facts
    recorded: ``recorded_<group>``) and per cause of poverty (``cause_<cause>``)."""
    _without_jit(session)
    now = standing_rows(year, ON_LISTS)
    columns = [
        func.sum(case((_deprived_in(session, Classification.deprived, i), 1), else_=0)).label(i)
        for i in indicators
    ]
    query = (
        select(
            Household.hamlet_id.label("hamlet_id"),
            now.c.household_class.label("household_class"),
            func.count().label("households"),
            *_group_columns(session, now.c.household_id),
            *columns,
        )
        .select_from(now)
        .join(Household, Household.id == now.c.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .join(Classification, Classification.id == now.c.classification_id)
        .where(Hamlet.commune_id.in_(list(commune_ids)))
        .group_by(Household.hamlet_id, now.c.household_class)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def ethnicities(session: Session, commune_id: int, year: int) -> list[tuple[str | None, str, int]]:
    """Return (the head's ethnic group or None when not recorded, class, households) of the
    commune's poor and near-poor households in ``year``."""
    now = standing_rows(year, ON_LISTS)
    head = aliased(Member, name="head")
    query = (
        select(head.ethnicity, now.c.household_class, func.count())
        .select_from(now)
        .join(Household, Household.id == now.c.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(head, and_(head.household_id == now.c.household_id, head.relation == "head"))
        .where(Hamlet.commune_id == commune_id)
        .group_by(head.ethnicity, now.c.household_class)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def deprivation_histogram(
    session: Session, commune_ids: Iterable[int], year: int
) -> list[tuple[int, int, int]]:
    """Return (hamlet id, number of deprivations, households) over every household classified
    by ``year``: the Alkire–Foster counting vector, grouped."""
    now = standing_rows(year)
    count = _deprivation_count(session, Classification.deprived)
    query = (
        select(Household.hamlet_id, count, func.count())
        .select_from(now)
        .join(Household, Household.id == now.c.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .join(Classification, Classification.id == now.c.classification_id)
        .where(Hamlet.commune_id.in_(list(commune_ids)))
        .group_by(Household.hamlet_id, count)
    )
    return [(h, c or 0, n) for h, c, n in session.execute(query)]


def years_with_classes(session: Session, commune_id: int, up_to: int) -> list[int]:
    """Return the years up to ``up_to`` in which some household of the commune was
    classified."""
    query = (
        select(HouseholdYear.year)
        .join(Household, Household.id == HouseholdYear.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id == commune_id, HouseholdYear.year <= up_to)
        .distinct()
        .order_by(HouseholdYear.year)
    )
    return list(session.scalars(query))


def households_on_lists(
    session: Session, commune_id: int, year: int
) -> list[tuple[Household, str, str]]:
    """Return (household with members, hamlet name, class) of the commune's poor and near-poor
    households in ``year``, by hamlet, class and code."""
    now = standing_rows(year, ON_LISTS)
    query = (
        select(Household, Hamlet.name, now.c.household_class)
        .join(now, now.c.household_id == Household.id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id == commune_id)
        .order_by(Hamlet.id, now.c.household_class.desc(), Household.code)
    )
    return [(h, name, c) for h, name, c in session.execute(query)]


def communes_of_province(
    session: Session, province_id: int, legacy_district_code: str | None
) -> list[Commune]:
    query = select(Commune).where(Commune.province_id == province_id)
    if legacy_district_code is not None:
        query = query.where(Commune.legacy_district_code == legacy_district_code)
    return list(session.scalars(query.order_by(Commune.code)))


def classes_per_commune(
    session: Session, commune_ids: Sequence[int], year: int
) -> dict[int, dict[str, int]]:
    """Return commune id → class → households: registered households under ``"households"``
    and the standing poor and near-poor of ``year``."""
    now = standing_rows(year, ON_LISTS)
    found: dict[int, dict[str, int]] = defaultdict(dict)
    registered = (
        select(Hamlet.commune_id, func.count())
        .select_from(Household)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id.in_(commune_ids))
        .group_by(Hamlet.commune_id)
    )
    for commune_id, n in session.execute(registered):
        found[commune_id]["households"] = n
    on_lists = (
        select(Hamlet.commune_id, now.c.household_class, func.count())
        .select_from(now)
        .join(Household, Household.id == now.c.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Hamlet.commune_id.in_(commune_ids))
        .group_by(Hamlet.commune_id, now.c.household_class)
    )
    for commune_id, household_class, n in session.execute(on_lists):
        found[commune_id][household_class] = n
    return dict(found)


def commune_target(session: Session, commune_id: int, year: int) -> CommuneTarget | None:
    return session.get(CommuneTarget, (commune_id, year))


def hamlet_targets(session: Session, commune_id: int, year: int) -> dict[int, HamletTarget]:
    query = (
        select(HamletTarget)
        .join(Hamlet, Hamlet.id == HamletTarget.hamlet_id)
        .where(Hamlet.commune_id == commune_id, HamletTarget.year == year)
    )
    return {row.hamlet_id: row for row in session.scalars(query)}


def service_targets(session: Session, commune_id: int, year: int) -> dict[str, tuple[float, str]]:
    """Return the commune's own service targets of ``year``: key → (percent, unit)."""
    query = select(ServiceTargetRow.key, ServiceTargetRow.percent, ServiceTargetRow.unit).where(
        and_(ServiceTargetRow.commune_id == commune_id, ServiceTargetRow.year == year)
    )
    return {key: (percent, unit) for key, percent, unit in session.execute(query)}


def service_target_row(
    session: Session, commune_id: int, year: int, key: str
) -> ServiceTargetRow | None:
    return session.get(ServiceTargetRow, (commune_id, year, key))


def hamlet_target(session: Session, hamlet_id: int, year: int) -> HamletTarget | None:
    return session.get(HamletTarget, (hamlet_id, year))


def add(session: Session, row: CommuneTarget | HamletTarget | ServiceTargetRow) -> None:
    session.add(row)
    session.flush()


class ListedRow(NamedTuple):
    """A household standing on the lists, as the gap and the targets in persons read it."""

    hamlet_id: int
    code: str
    area: str
    household_class: str
    result: dict[str, Any]
    persons: int
    children: int


# Children of school age for "no child out of school": 3 to 15 in the year of the household's
# review, counted by birth year as schools count it (Decree 07/2021's annex: "từ 3 tuổi đến
# dưới 16 tuổi"); a member without a birth date is not counted.
SCHOOL_AGES = (3, 15)


def listed_results(session: Session, commune_id: int, year: int) -> list[ListedRow]:
    """Return every household of the commune standing on the lists in ``year``: its hamlet,
    code, hamlet area, standing class, the engine's stored result (in no language), its members
    (persons) and
    its children of school age: what the gap to the targets (server/reports/gap.py) and the
    targets counted in persons and children plan from."""
    now = standing_rows(year, ON_LISTS)
    persons = (
        select(func.count(Member.id))
        .where(Member.household_id == Household.id)
        .correlate(Household)
        .scalar_subquery()
    )
    youngest, oldest = SCHOOL_AGES
    born = extract("year", Member.birth_date)
    children = (
        select(func.count(Member.id))
        .where(
            Member.household_id == Household.id,
            born >= now.c.year - oldest,
            born <= now.c.year - youngest,
        )
        .correlate(Household, now)
        .scalar_subquery()
    )
    query = (
        select(
            Household.hamlet_id,
            Household.code,
            Hamlet.area,
            now.c.household_class,
            Classification.result,
            persons,
            children,
        )
        .select_from(now)
        .join(Household, Household.id == now.c.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .join(Classification, Classification.id == now.c.classification_id)
        .where(Hamlet.commune_id == commune_id)
        .order_by(Household.code)
    )
    return [
        ListedRow(h, code, area, cls, result, people, young)
        for h, code, area, cls, result, people, young in session.execute(query)
    ]
