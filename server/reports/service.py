"""The commune's reports: who may read them, what goes in them, and the targets behind them.

Every function takes the signed-in ``principal``, or None for the server's operator at the
command line (who runs on the server itself and sees everything). Nothing here commits.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Place, Principal, require, require_place
from server.geography import repository as geography
from server.geography.models import Commune
from server.reports import appendix_vii as appendix
from server.reports import compute, repository
from server.reports.models import CommuneTarget, HamletTarget, ServiceTargetRow
from shared.errors import ErrorCode, RasoatError
from shared.standards import load_catalog
from shared.vocabulary import TargetUnit

# Decree 07/2021 counts a household multidimensionally poor from three deprivations.
DEFAULT_K = 3

Progress = Callable[[str, int, int], None]


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


def _authorize(
    session: Session, principal: Principal | None, permission: Permission, commune_id: int
) -> Commune:
    commune = repository.commune(session, commune_id)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune_id}")
    if principal is not None:
        require_place(principal, permission, Place(None, commune.id, commune.province_id))
    return commune


def commune_by_code(session: Session, code: str) -> Commune:
    """Return the commune with ``code`` (current or legacy), or raise NOT_FOUND."""
    commune = repository.commune_by_code(session, code)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {code}")
    return commune


def indicators_of(year: int) -> list[tuple[str, str]]:
    """Return (id, Vietnamese title) of the indicators of the standard in force at the end of
    ``year``."""
    standard = load_catalog().for_date(date(year, 12, 31))
    return [(indicator.id, indicator.title["vi"]) for indicator in standard.indicators]


def hamlet_table(
    session: Session, principal: Principal | None, commune_id: int, year: int
) -> compute.HamletTable:
    """Return the commune's hamlet table for ``year``: start of the year (standing classes
    of the year before) against now, with the changes."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    return _hamlet_table(session, commune, year)


def _hamlet_table(session: Session, commune: Commune, year: int) -> compute.HamletTable:
    # A report of a year before a merge shows the hamlets as they were; from the merge's year
    # on, the merged one, with a note (docs/reports.md).
    hamlets = repository.hamlets_of_year(session, commune.id, year)
    moves: dict[int, list[compute.Transition]] = defaultdict(list)
    for hamlet_id, start, now, poor_before, n in repository.transitions(session, commune.id, year):
        moves[hamlet_id].append(compute.Transition(start, now, poor_before, n))
    counted = repository.hamlet_classes(session, [commune.id], year)
    return compute.hamlet_table(
        commune.code,
        commune.name,
        year,
        [(h.id, h.code, h.name) for h in hamlets],
        counted.households,
        counted.start,
        counted.now,
        moves,
        merge_notes(session, [h.id for h in hamlets], year),
    )


def merge_notes(session: Session, hamlet_ids: list[int], year: int) -> dict[int, str]:
    """Return, per hamlet, what its merges and renames up to ``year`` mean for comparing with
    earlier years, in Vietnamese as the papers print it."""
    notes: dict[int, str] = {}
    for hamlet_id, made in geography.changes_of(session, hamlet_ids).items():
        said = []
        for change in made:
            if change.effective_on.year > year:
                continue
            when = change.effective_on.strftime("%d/%m/%Y")
            if change.kind == "rename":
                said.append(f"trước ngày {when} tên là {change.parts[0]['name']}")
            else:
                names = ", ".join(part["name"] for part in change.parts)
                said.append(f"gộp từ {names} từ ngày {when}")
        if said:
            text = "; ".join(said)
            notes[hamlet_id] = text[0].upper() + text[1:]
    return notes


@dataclass(frozen=True)
class Deprivations:
    """The commune's deprivation statistics first, then each hamlet's; the causes of poverty
    its reviews recorded; its poor and near-poor households by the head's ethnic group (code,
    "" when not recorded); the special groups nothing was recorded for in the commune, whose
    counts say nothing."""

    commune: compute.DeprivationStats
    hamlets: list[compute.DeprivationStats]
    causes: list[compute.GroupCounts]
    ethnicities: list[compute.GroupCounts]
    unrecorded_groups: tuple[str, ...]
    # Each hamlet's causes of poverty, in the order of ``hamlets`` (Appendix VII's form 7.7
    # counts them per hamlet).
    hamlet_causes: list[list[compute.GroupCounts]] = field(default_factory=list)


def deprivations(
    session: Session, principal: Principal | None, commune_id: int, year: int, k: int = DEFAULT_K
) -> Deprivations:
    """Return the indicator rates among poor and near-poor households, per hamlet and for the
    commune, with the adjusted headcount at cut-off ``k``."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    return _deprivations(session, commune, year, k)


def _stats(
    area: str,
    indicators: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, int]],
    histogram: Mapping[int, int],
    k: int,
) -> compute.DeprivationStats:
    households: dict[str, int] = defaultdict(int)
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deprived: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        cls = str(row["household_class"])
        households[cls] += row["households"]
        for group in repository.GROUPS:
            grouped[group][cls] += row[group] or 0
        for indicator, _ in indicators:
            deprived[cls][indicator] += row[indicator] or 0
    return compute.DeprivationStats(
        area,
        households["poor"],
        households["near_poor"],
        compute.indicator_rates(indicators, households["poor"], households["near_poor"], deprived),
        compute.adjusted_headcount(histogram, sum(histogram.values()), len(indicators), k),
        [
            compute.GroupCounts(group, grouped[group]["poor"], grouped[group]["near_poor"])
            for group in repository.GROUPS
        ],
    )


def _by_class(counted: Sequence[tuple[str, str, int]]) -> list[compute.GroupCounts]:
    """Return (key, class, households) rows as poor and near-poor counts per key, by key."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, cls, n in counted:
        found[key][cls] += n
    return [compute.GroupCounts(key, n["poor"], n["near_poor"]) for key, n in sorted(found.items())]


def _deprivations(session: Session, commune: Commune, year: int, k: int) -> Deprivations:
    indicators = indicators_of(year)
    rows = repository.indicator_counts(session, [commune.id], year, [i for i, _ in indicators])
    histograms: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    whole: dict[int, int] = defaultdict(int)
    for hamlet_id, count, n in repository.deprivation_histogram(session, [commune.id], year):
        histograms[hamlet_id][count] += n
        whole[count] += n
    by_hamlet: dict[int, list[dict[str, int]]] = defaultdict(list)
    for row in rows:
        by_hamlet[row["hamlet_id"]].append(row)
    places = repository.hamlets(session, commune.id)
    hamlets = [
        _stats(h.name, indicators, by_hamlet.get(h.id, []), histograms.get(h.id, {}), k)
        for h in places
    ]
    causes = _causes(rows)
    ethnicities = _by_class(
        [(code or "", cls, n) for code, cls, n in repository.ethnicities(session, commune.id, year)]
    )
    return Deprivations(
        _stats(commune.name, indicators, rows, whole, k),
        hamlets,
        [c for c in causes if c.poor or c.near_poor],
        ethnicities,
        tuple(
            group
            for group in repository.GROUPS
            if not any(row[f"recorded_{group}"] for row in rows)
        ),
        [_causes(by_hamlet.get(h.id, [])) for h in places],
    )


def _causes(rows: Sequence[Mapping[str, Any]]) -> list[compute.GroupCounts]:
    """Return the poor and near-poor households per cause of poverty of ``rows``."""
    return _by_class(
        [
            (cause, str(row["household_class"]), row[f"cause_{cause}"] or 0)
            for row in rows
            for cause in repository.CAUSES
        ]
    )


@dataclass(frozen=True)
class HamletProgress:
    code: str
    name: str
    poor: compute.PovertyProgress
    near_poor: compute.PovertyProgress


@dataclass(frozen=True)
class Targets:
    """Targets of the year and progress computed from the registry."""

    year: int
    poor: compute.PovertyProgress
    near_poor: compute.PovertyProgress
    hamlets: list[HamletProgress]
    services: list[compute.ServiceProgress]


def service_targets(session: Session, commune_id: int, year: int) -> list[compute.ServiceTarget]:
    """Return the commune's service targets for ``year``: its own percentages and units where
    set, seed 003's defaults elsewhere."""
    own = repository.service_targets(session, commune_id, year)
    found = []
    for target in compute.DEFAULT_SERVICE_TARGETS:
        if target.key in own:
            percent, unit = own[target.key]
            target = replace(compute.in_unit(target, cast(TargetUnit, unit)), percent=percent)
        found.append(target)
    return found


@dataclass(frozen=True)
class People:
    """Persons and children of school age of the listed households, by class, and the members
    each indicator's deprivation names, by class (what targets in persons and children
    count)."""

    counts: dict[str, dict[str, int]]
    lacking: dict[str, dict[str, int]]


def named_members(result: Mapping[str, Any]) -> dict[str, int]:
    """Return, per deprived indicator of a stored result (the engine's facts), how many members
    its reason names (the uninsured, the children out of school); one for an indicator of the
    household itself (a latrine), which names none."""
    entries = result.get("indicators", {})
    return {
        indicator: len(entries.get(indicator, {}).get("reason", {}).get("facts", ())) or 1
        for indicator in result.get("deprived", ())
    }


def people(rows: Sequence[repository.ListedRow]) -> People:
    """Return the persons, children and named members of the listed ``rows`` by class."""
    counts: dict[str, dict[str, int]] = {"persons": defaultdict(int), "children": defaultdict(int)}
    lacking: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts["persons"][row.household_class] += row.persons
        counts["children"][row.household_class] += row.children
        for indicator, n in named_members(row.result).items():
            lacking[row.household_class][indicator] += n
    return People(counts, lacking)


def targets(session: Session, principal: Principal | None, commune_id: int, year: int) -> Targets:
    """Return the commune's targets for ``year`` and how far the registry says it has come."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    return _targets(session, commune, year, _hamlet_table(session, commune, year))


def _targets(session: Session, commune: Commune, year: int, table: compute.HamletTable) -> Targets:
    own = repository.commune_target(session, commune.id, year)
    per_hamlet = repository.hamlet_targets(session, commune.id, year)
    ids = {h.code: h.id for h in repository.hamlets(session, commune.id)}
    hamlets = []
    for row in table.rows:
        target = per_hamlet.get(ids[row.code])
        hamlets.append(
            HamletProgress(
                row.code,
                row.name,
                compute.poverty_progress(
                    "poor", row.start, row.now, None if target is None else target.poor
                ),
                compute.poverty_progress(
                    "near_poor", row.start, row.now, None if target is None else target.near_poor
                ),
            )
        )
    classes: dict[str, int] = {"poor": table.total.now.poor, "near_poor": table.total.now.near_poor}
    indicators = [i for i, _ in indicators_of(year)]
    deprived: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for counted in repository.indicator_counts(session, [commune.id], year, indicators):
        for indicator in indicators:
            deprived[counted["household_class"]][indicator] += counted[indicator] or 0
    wanted = [t for t in service_targets(session, commune.id, year) if t.indicator in indicators]
    listed = people(repository.listed_results(session, commune.id, year))
    total = table.total
    return Targets(
        year,
        compute.poverty_progress("poor", total.start, total.now, None if own is None else own.poor),
        compute.poverty_progress(
            "near_poor", total.start, total.now, None if own is None else own.near_poor
        ),
        hamlets,
        compute.service_progress(wanted, classes, deprived, listed.counts, listed.lacking),
    )


@dataclass(frozen=True)
class TargetCounts:
    poor: int | None
    near_poor: int | None


@dataclass(frozen=True)
class ServiceSetting:
    """A service target's percentage, and its unit (None: the unit it has, else seed 003's)."""

    percent: float
    unit: TargetUnit | None = None


@dataclass(frozen=True)
class TargetData:
    """What a commune sets for a year: its own counts, each hamlet's by hamlet code, and
    service targets by key."""

    commune: TargetCounts | None
    hamlets: Mapping[str, TargetCounts]
    services: Mapping[str, ServiceSetting]


def set_targets(
    session: Session,
    principal: Principal | None,
    actor: Actor,
    commune_id: int,
    year: int,
    data: TargetData,
) -> Targets:
    """Set the commune's targets for ``year`` (replacing those given) and return the progress.
    Raises NOT_FOUND for an unknown hamlet, UNKNOWN_SERVICE_TARGET for an unknown service key
    and TARGET_UNIT_NOT_ALLOWED for a unit the target is not counted in."""
    commune = _authorize(session, principal, Permission.SET_TARGETS, commune_id)
    hamlets = {h.code: h for h in repository.hamlets(session, commune.id)}
    for code in data.hamlets:
        if code not in hamlets:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {code}")
    current = {t.key: t for t in service_targets(session, commune.id, year)}
    for key, setting in data.services.items():
        if key not in current:
            raise RasoatError(ErrorCode.UNKNOWN_SERVICE_TARGET, key=key)
        units = compute.SERVICE_TITLES[key]
        if setting.unit is not None and setting.unit not in units:
            raise RasoatError(
                ErrorCode.TARGET_UNIT_NOT_ALLOWED,
                key=key,
                unit=setting.unit,
                units=", ".join(units),
            )
    by = actor.user_id
    if data.commune is not None:
        row = repository.commune_target(session, commune.id, year)
        if row is None:
            row = CommuneTarget(commune_id=commune.id, year=year)
        row.poor, row.near_poor, row.set_by = data.commune.poor, data.commune.near_poor, by
        repository.add(session, row)
    for code, counts in data.hamlets.items():
        hamlet_id = hamlets[code].id
        found = repository.hamlet_target(session, hamlet_id, year)
        if found is None:
            found = HamletTarget(hamlet_id=hamlet_id, year=year)
        found.poor, found.near_poor, found.set_by = counts.poor, counts.near_poor, by
        repository.add(session, found)
    for key, setting in data.services.items():
        service = repository.service_target_row(session, commune.id, year, key)
        if service is None:
            service = ServiceTargetRow(commune_id=commune.id, year=year, key=key)
        service.percent, service.set_by = setting.percent, by
        service.unit = setting.unit or current[key].unit
        repository.add(session, service)
    record(
        session,
        actor,
        "set_targets",
        "commune",
        commune.id,
        after={
            "year": year,
            "commune": None if data.commune is None else vars(data.commune),
            "hamlets": {code: vars(c) for code, c in data.hamlets.items()},
            "services": {key: vars(s) for key, s in data.services.items()},
        },
    )
    return _targets(session, commune, year, _hamlet_table(session, commune, year))


@dataclass(frozen=True)
class ListedMember:
    full_name: str
    birth_date: date | None
    sex: str | None
    relation: str | None
    national_id: str | None


@dataclass(frozen=True)
class ListedHousehold:
    code: str
    hamlet: str
    household_class: str
    head_name: str
    address: str
    members: list[ListedMember]


def lists(
    session: Session, principal: Principal | None, commune_id: int, year: int
) -> list[ListedHousehold]:
    """Return the poor and near-poor households of ``year`` with their members, for posting
    and the decision; national ids only for those allowed to see them."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    return _lists(session, commune, year, principal)


def _lists(
    session: Session, commune: Commune, year: int, principal: Principal | None
) -> list[ListedHousehold]:
    ids_shown = principal is None or principal.can(Permission.SEE_NATIONAL_IDS)
    return [
        ListedHousehold(
            household.code,
            hamlet,
            household_class,
            household.head_name,
            household.address,
            [
                ListedMember(
                    m.full_name,
                    m.birth_date,
                    m.sex,
                    m.relation,
                    m.national_id if ids_shown else None,
                )
                for m in household.members
            ],
        )
        for household, hamlet, household_class in repository.households_on_lists(
            session, commune.id, year
        )
    ]


def trend(session: Session, commune: Commune, year: int) -> list[tuple[int, compute.ClassCounts]]:
    """Return the commune's counts at the end of each year it has classes for, up to
    ``year``."""
    found = []
    households = sum(repository.households_per_hamlet(session, [commune.id]).values())
    for each in repository.years_with_classes(session, commune.id, year):
        by_class: dict[str, int] = defaultdict(int)
        for classes in repository.classes_per_hamlet(session, [commune.id], each).values():
            for cls, n in classes.items():
                by_class[cls] += n
        found.append((each, compute.class_counts(households, by_class)))
    return found


def rollup(
    session: Session,
    principal: Principal | None,
    province_id: int,
    year: int,
    legacy_district_code: str | None = None,
) -> compute.Rollup:
    """Return the province's communes and total for ``year``, or only the communes that were
    in the legacy district ``legacy_district_code`` before July 2025."""
    province = repository.province(session, province_id)
    if province is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"province {province_id}")
    if principal is not None:
        require(principal, Permission.READ_REPORTS)
        if principal.scope.province_id != province.id:
            raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    communes = repository.communes_of_province(session, province.id, legacy_district_code)
    counts = repository.classes_per_commune(session, [c.id for c in communes], year)
    return compute.rollup(
        province.code,
        province.name,
        year,
        [
            compute.CommuneRollup(
                c.code,
                c.name,
                c.legacy_district_code,
                c.legacy_commune_code,
                compute.class_counts(
                    counts.get(c.id, {}).get("households", 0), counts.get(c.id, {})
                ),
            )
            for c in communes
        ],
    )


@dataclass(frozen=True)
class BundleData:
    """Everything a periodic report carries; the sections its kind does not include are
    None."""

    bundle: compute.Bundle
    commune: str
    year: int
    table: compute.HamletTable | None
    targets: Targets | None
    deprivations: Deprivations | None
    lists: list[ListedHousehold] | None
    trend: list[tuple[int, compute.ClassCounts]]
    seconds: dict[str, float]


def bundle(
    session: Session,
    principal: Principal | None,
    commune_id: int,
    year: int,
    kind: str,
    progress: Progress = _quiet,
) -> BundleData:
    """Gather the data of the periodic report ``kind`` (six_monthly, annual, sector), calling
    ``progress(step, done, total)`` as each part completes. Raises UNKNOWN_REPORT for an
    unknown kind."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    try:
        plan = compute.bundle_for(kind, year)
    except ValueError:
        raise RasoatError(
            ErrorCode.UNKNOWN_REPORT, kind=kind, kinds=", ".join(compute.BUNDLE_KINDS)
        ) from None
    steps = ["hamlet_table", "targets", "deprivations", "lists", "trend"]
    seconds: dict[str, float] = {}
    total = len(steps)

    def timed(step: str, done: int) -> None:
        seconds[step] = round(time.perf_counter() - started, 3)
        progress(step, done, total)

    started = time.perf_counter()
    table = _hamlet_table(session, commune, year)
    timed("hamlet_table", 1)
    started = time.perf_counter()
    wants_targets = "targets" in plan.sections or "services" in plan.sections
    found_targets = _targets(session, commune, year, table) if wants_targets else None
    timed("targets", 2)
    started = time.perf_counter()
    found_deprivations = _deprivations(session, commune, year, DEFAULT_K)
    timed("deprivations", 3)
    started = time.perf_counter()
    listed = _lists(session, commune, year, principal) if "lists" in plan.sections else None
    timed("lists", 4)
    started = time.perf_counter()
    years = trend(session, commune, year)
    timed("trend", 5)
    return BundleData(
        plan,
        commune.name,
        year,
        table if "hamlet_table" in plan.sections else None,
        found_targets,
        found_deprivations,
        listed,
        years,
        seconds,
    )


def appendix_vii(
    session: Session,
    principal: Principal | None,
    commune_id: int,
    year: int,
    period: str,
    made_on: date,
    numbers: Sequence[str] = (),
) -> list[appendix.FilledForm]:
    """Return Appendix VII's forms ``numbers`` (every form when empty) for the commune's
    ``period`` (six_monthly or annual) of ``year``, filled per hamlet with the commune's
    total, dated ``made_on``. Raises UNKNOWN_REPORT for an unknown period or form."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    if period not in appendix.PERIODS:
        raise RasoatError(ErrorCode.UNKNOWN_REPORT, kind=period, kinds=", ".join(appendix.PERIODS))
    known = appendix.form_numbers()
    for number in numbers:
        if number not in known:
            raise RasoatError(
                ErrorCode.UNKNOWN_REPORT, kind=f"mẫu {number}", kinds=", ".join(known)
            )
    table = _hamlet_table(session, commune, year)
    found = _deprivations(session, commune, year, DEFAULT_K)
    unrecorded = found.unrecorded_groups
    hamlets = [
        appendix.area(row, stats, causes, unrecorded)
        for row, stats, causes in zip(table.rows, found.hamlets, found.hamlet_causes, strict=True)
    ]
    total = appendix.area(table.total, found.commune, found.causes, unrecorded)
    heading = appendix.Heading(commune.province.name, commune.name, year, period, made_on)
    standard = load_catalog().for_date(date(year, 12, 31))
    return [appendix.fill(number, heading, standard, hamlets, total) for number in numbers or known]
