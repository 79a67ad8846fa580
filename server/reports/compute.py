"""The arithmetic of the commune's reports, free of I/O: rates, the hamlet table and its
changes, indicator rates, the Alkire–Foster adjusted headcount, target progress and roll-ups.

The repository counts in SQL; everything here works on those counts, so the same rules serve
the API, the command line, the workbook and the PDF, and are tested without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from shared.vocabulary import ON_LISTS, Change, TargetUnit
from shared.year_change import change_from_last_year

# Seed 000 writes rates with two decimals ("08 hộ = 0,31%").
RATE_DECIMALS = 2


def rate(count: int, total: int) -> float:
    """Return ``count`` as a percentage of ``total``, rounded to two decimals (0 when the
    total is 0)."""
    if total <= 0:
        return 0.0
    return round(100.0 * count / total, RATE_DECIMALS)


@dataclass(frozen=True)
class ClassCounts:
    """Households of an area and how many of them stand poor and near-poor."""

    households: int = 0
    poor: int = 0
    near_poor: int = 0

    @property
    def poor_rate(self) -> float:
        return rate(self.poor, self.households)

    @property
    def near_poor_rate(self) -> float:
        return rate(self.near_poor, self.households)

    def __add__(self, other: ClassCounts) -> ClassCounts:
        return ClassCounts(
            self.households + other.households,
            self.poor + other.poor,
            self.near_poor + other.near_poor,
        )


def class_counts(households: int, by_class: Mapping[str, int]) -> ClassCounts:
    """Return the counts of an area from its registered households and its standing
    classes."""
    return ClassCounts(households, by_class.get("poor", 0), by_class.get("near_poor", 0))


@dataclass(frozen=True)
class Changes:
    """How households moved between the start of the year and now (Circular 07/2021
    Appendix VII's columns): exited poverty, exited near-poverty, newly poor, newly
    near-poor, and fell back into poverty after having exited it in an earlier year."""

    exited_poor: int = 0
    exited_near_poor: int = 0
    newly_poor: int = 0
    newly_near_poor: int = 0
    fell_back: int = 0

    def __add__(self, other: Changes) -> Changes:
        return Changes(
            self.exited_poor + other.exited_poor,
            self.exited_near_poor + other.exited_near_poor,
            self.newly_poor + other.newly_poor,
            self.newly_near_poor + other.newly_near_poor,
            self.fell_back + other.fell_back,
        )


@dataclass(frozen=True)
class Transition:
    """``households`` that stood ``start`` (None: not classified yet) at the start of the
    year and stand ``now``; ``poor_before`` says they were poor in a year before the start."""

    start: str | None
    now: str
    poor_before: bool
    households: int


# Each change by the report's columns it counts in: poor → near-poor leaves the poor list and
# enters the near-poor one; a household falling back into near-poverty is new on that list.
_COLUMNS: dict[Change, tuple[str, ...]] = {
    Change.EXITED_POVERTY: ("exited_poor",),
    Change.POOR_TO_NEAR_POOR: ("exited_poor", "newly_near_poor"),
    Change.EXITED_NEAR_POVERTY: ("exited_near_poor",),
    Change.NEWLY_POOR: ("newly_poor",),
    Change.NEAR_POOR_TO_POOR: ("newly_poor",),
    Change.FELL_BACK_POOR: ("fell_back",),
    Change.NEWLY_NEAR_POOR: ("newly_near_poor",),
    Change.FELL_BACK_NEAR_POOR: ("newly_near_poor",),
}


def changes(transitions: Iterable[Transition]) -> Changes:
    """Return the year's changes from the households' transitions, each classified by
    ``shared.year_change`` (a household poor in an earlier year and poor again fell back)."""
    counts: dict[str, int] = defaultdict(int)
    for move in transitions:
        earlier = (["poor"] if move.poor_before else []) + [move.start]
        for column in _COLUMNS.get(change_from_last_year(earlier, move.now), ()):
            counts[column] += move.households
    return Changes(**counts)


@dataclass(frozen=True)
class HamletRow:
    code: str
    name: str
    start: ClassCounts
    now: ClassCounts
    changes: Changes
    # What a merge or rename of the hamlet means for comparing years ("Gộp từ …").
    note: str = ""


@dataclass(frozen=True)
class HamletTable:
    """Seed 000's table: per hamlet, households, poor and near-poor (count, %) at the start
    of the year and now, with the changes; ``total`` is the commune's row."""

    commune_code: str
    commune_name: str
    year: int
    rows: list[HamletRow]
    total: HamletRow


def hamlet_table(
    commune_code: str,
    commune_name: str,
    year: int,
    hamlets: Sequence[tuple[int, str, str]],
    households: Mapping[int, int],
    start: Mapping[int, Mapping[str, int]],
    now: Mapping[int, Mapping[str, int]],
    moves: Mapping[int, Sequence[Transition]],
    notes: Mapping[int, str] | None = None,
) -> HamletTable:
    """Return the hamlet table from, per hamlet id: registered households, standing classes at
    the start of the year and now, the transitions and any note of a merge. ``hamlets`` gives
    (id, code, name) in the order to print."""
    rows = []
    for hamlet_id, code, name in hamlets:
        total = households.get(hamlet_id, 0)
        rows.append(
            HamletRow(
                code,
                name,
                class_counts(total, start.get(hamlet_id, {})),
                class_counts(total, now.get(hamlet_id, {})),
                changes(moves.get(hamlet_id, ())),
                (notes or {}).get(hamlet_id, ""),
            )
        )
    summed = HamletRow(
        commune_code,
        commune_name,
        sum((row.start for row in rows), ClassCounts()),
        sum((row.now for row in rows), ClassCounts()),
        sum((row.changes for row in rows), Changes()),
    )
    return HamletTable(commune_code, commune_name, year, rows, summed)


@dataclass(frozen=True)
class IndicatorRate:
    """One indicator among the poor and among the near-poor: deprived households, and their
    share of the class's households (%)."""

    indicator: str
    title: str
    poor: int
    poor_rate: float
    near_poor: int
    near_poor_rate: float


@dataclass(frozen=True)
class AdjustedHeadcount:
    """Alkire–Foster: H the share of households deprived in at least ``k`` of ``d``
    indicators, A their average deprivation share, M0 = H × A."""

    k: int
    d: int
    households: int
    multidimensionally_poor: int
    headcount: float
    intensity: float
    m0: float


def adjusted_headcount(
    histogram: Mapping[int, int], households: int, d: int, k: int
) -> AdjustedHeadcount:
    """Return the adjusted headcount from ``histogram`` (number of deprivations → households)
    over ``households`` classified households, with equal weights. H and A are fractions
    (0–1) rounded to four decimals."""
    poor = sum(n for count, n in histogram.items() if count >= k)
    deprivations = sum(count * n for count, n in histogram.items() if count >= k)
    headcount = poor / households if households else 0.0
    intensity = deprivations / (poor * d) if poor and d else 0.0
    return AdjustedHeadcount(
        k,
        d,
        households,
        poor,
        round(headcount, 4),
        round(intensity, 4),
        round(headcount * intensity, 4),
    )


@dataclass(frozen=True)
class GroupCounts:
    """Poor and near-poor households of a breakdown group (a special group or a cause)."""

    group: str
    poor: int
    near_poor: int


@dataclass(frozen=True)
class DeprivationStats:
    """Indicator rates among the poor and near-poor of an area, with the adjusted headcount
    and the breakdowns the registry records."""

    area: str
    poor: int
    near_poor: int
    indicators: list[IndicatorRate]
    adjusted: AdjustedHeadcount
    groups: list[GroupCounts] = field(default_factory=list)


def indicator_rates(
    indicators: Sequence[tuple[str, str]],
    poor: int,
    near_poor: int,
    deprived: Mapping[str, Mapping[str, int]],
) -> list[IndicatorRate]:
    """Return each indicator's deprived count and rate among ``poor`` and ``near_poor``
    households; ``deprived`` maps class → indicator → deprived households; ``indicators``
    gives (id, title) in the standard's order."""
    of_poor = deprived.get("poor", {})
    of_near = deprived.get("near_poor", {})
    return [
        IndicatorRate(
            indicator,
            title,
            of_poor.get(indicator, 0),
            rate(of_poor.get(indicator, 0), poor),
            of_near.get(indicator, 0),
            rate(of_near.get(indicator, 0), near_poor),
        )
        for indicator, title in indicators
    ]


@dataclass(frozen=True)
class ServiceTarget:
    """A basic-service access target: at least ``percent`` % of the ``unit`` (households,
    persons or children) of ``population`` households not deprived in ``indicator``."""

    key: str
    title: str
    population: tuple[str, ...]
    indicator: str
    percent: float
    unit: TargetUnit = "households"


# Each target's title in each unit it may be counted in, seed 003's unit first. The plans write
# the same target both ways (seed 003: "100% khẩu cận nghèo tham gia BHYT" in 2.2, "100% hộ cận
# nghèo tham gia BHYT" in 2.6), so a commune chooses; the rest count households only.
SERVICE_TITLES: dict[str, dict[TargetUnit, str]] = {
    "child_schooling": {
        "children": "Không còn trẻ em không đi học",
        "households": "Không còn hộ có trẻ em không đi học",
    },
    "health_insurance": {
        "persons": "Khẩu cận nghèo tham gia BHYT",
        "households": "Hộ cận nghèo tham gia BHYT",
    },
    "housing_quality": {"households": "Hộ nghèo có nhà ở đảm bảo chất lượng"},
    "housing_area": {"households": "Hộ nghèo có diện tích ≥ 8 m²/người"},
    "latrine": {"households": "Hộ nghèo có nhà tiêu hợp vệ sinh"},
    "water_source": {"households": "Hộ nghèo có nước sinh hoạt hợp vệ sinh"},
    "information_access": {"households": "Hộ nghèo tiếp cận thông tin truyền thông"},
}


def _default(key: str, population: tuple[str, ...], percent: float) -> ServiceTarget:
    unit, title = next(iter(SERVICE_TITLES[key].items()))
    return ServiceTarget(key, title, population, key, percent, unit)


# Seed 003, 2.2 (Cao Ngọc commune's 2024 plan): the defaults a commune starts from.
DEFAULT_SERVICE_TARGETS = (
    _default("child_schooling", ON_LISTS, 100.0),
    _default("health_insurance", ("near_poor",), 100.0),
    _default("housing_quality", ("poor",), 70.0),
    _default("housing_area", ("poor",), 80.0),
    _default("latrine", ("poor",), 90.0),
    _default("water_source", ("poor",), 100.0),
    _default("information_access", ("poor",), 100.0),
)


def in_unit(target: ServiceTarget, unit: TargetUnit) -> ServiceTarget:
    """Return ``target`` counted in ``unit``, titled for it; raise KeyError for a unit the
    target cannot be counted in."""
    return replace(target, unit=unit, title=SERVICE_TITLES[target.key][unit])


@dataclass(frozen=True)
class ServiceProgress:
    """Where a service target stands: ``households`` of its population, and ``total`` and
    ``reached`` counted in the target's unit (households, persons or children)."""

    target: ServiceTarget
    households: int
    total: int
    reached: int
    percent: float
    met: bool


def service_progress(
    targets: Sequence[ServiceTarget],
    class_households: Mapping[str, int],
    deprived: Mapping[str, Mapping[str, int]],
    people: Mapping[str, Mapping[str, int]] | None = None,
    people_lacking: Mapping[str, Mapping[str, int]] | None = None,
) -> list[ServiceProgress]:
    """Return each target's progress: its population's households, the units of it not
    deprived in its indicator, their share, and whether the target is met (an empty population
    meets it). ``deprived`` maps class → indicator → deprived households; a target counted in
    persons or children reads ``people`` (unit → class → persons or children of the class's
    households) and ``people_lacking`` (class → indicator → members the deprivation names)."""
    found = []
    for target in targets:
        households = sum(class_households.get(c, 0) for c in target.population)
        if target.unit == "households":
            total = households
            lacking = sum(deprived.get(c, {}).get(target.indicator, 0) for c in target.population)
        else:
            total = sum((people or {}).get(target.unit, {}).get(c, 0) for c in target.population)
            lacking = sum(
                (people_lacking or {}).get(c, {}).get(target.indicator, 0)
                for c in target.population
            )
        reached = max(total - lacking, 0)
        percent = rate(reached, total) if total else 100.0
        found.append(
            ServiceProgress(target, households, total, reached, percent, percent >= target.percent)
        )
    return found


@dataclass(frozen=True)
class PovertyProgress:
    """Where an area stands against its year-end target for one class, counted in households
    (the only unit of a poverty target)."""

    household_class: str
    start: int
    start_rate: float
    target: int | None
    target_rate: float | None
    now: int
    now_rate: float
    remaining: int | None
    met: bool | None
    unit: TargetUnit = "households"


def poverty_progress(
    household_class: str, start: ClassCounts, now: ClassCounts, target: int | None
) -> PovertyProgress:
    """Return progress towards a year-end count ``target`` (None: no target set): the target
    is met when the count now is at or below it; its rate is over the households now."""
    begin = start.poor if household_class == "poor" else start.near_poor
    current = now.poor if household_class == "poor" else now.near_poor
    return PovertyProgress(
        household_class,
        begin,
        rate(begin, start.households),
        target,
        None if target is None else rate(target, now.households),
        current,
        rate(current, now.households),
        None if target is None else max(current - target, 0),
        None if target is None else current <= target,
    )


@dataclass(frozen=True)
class CommuneRollup:
    code: str
    name: str
    legacy_district_code: str | None
    legacy_commune_code: str | None
    counts: ClassCounts


@dataclass(frozen=True)
class Rollup:
    """A province's communes and its total."""

    province_code: str
    province_name: str
    year: int
    communes: list[CommuneRollup]
    total: ClassCounts


def rollup(
    province_code: str, province_name: str, year: int, communes: Sequence[CommuneRollup]
) -> Rollup:
    """Return the province's roll-up: its communes' counts and their sum."""
    return Rollup(
        province_code,
        province_name,
        year,
        list(communes),
        sum((c.counts for c in communes), ClassCounts()),
    )


@dataclass(frozen=True)
class Bundle:
    """A periodic report: what it is, when it is due, and the sections it carries."""

    kind: str
    title: str
    due: date
    sections: tuple[str, ...]


BUNDLE_KINDS = ("six_monthly", "annual", "sector")


def bundle_for(kind: str, year: int) -> Bundle:
    """Return the bundle of ``kind`` for ``year`` (seed 004 and seed 003's deadlines: six-
    monthly 10 June, annual 10 November, sector reports 25 September). Raises ValueError
    for an unknown kind."""
    if kind == "six_monthly":
        return Bundle(
            kind,
            f"Báo cáo sơ kết 6 tháng đầu năm {year} công tác giảm nghèo",
            date(year, 6, 10),
            ("hamlet_table", "targets", "deprivations", "charts"),
        )
    if kind == "annual":
        return Bundle(
            kind,
            f"Báo cáo kết quả thực hiện công tác giảm nghèo năm {year}",
            date(year, 11, 10),
            ("hamlet_table", "targets", "deprivations", "services", "lists", "charts"),
        )
    if kind == "sector":
        return Bundle(
            kind,
            f"Báo cáo tiếp cận dịch vụ xã hội cơ bản năm {year}",
            date(year, 9, 25),
            ("services", "deprivations", "charts"),
        )
    raise ValueError(f"bundle kind must be one of {', '.join(BUNDLE_KINDS)}, not {kind!r}")
