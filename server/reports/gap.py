"""The commune's gap to its year's targets, in units people can budget, per hamlet and for the
commune, with the what-if once every action is done (``shared.exit.gap`` has the rules).

It plans from what is stored: each listed household's standing classification (its class,
deprivations, unknowns, income and the members each deprivation names), its persons and
children of school age in the registry, and the targets of revisions 0009 and 0026 (the
commune's and each hamlet's poor count, the service percentages and units, seed 003's defaults
where none is set). Nothing here commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Principal
from server.reports import repository
from server.reports.service import _authorize, indicators_of, named_members, service_targets
from shared.exit.gap import AreaGap, Listed, ServiceGoal, area_gap
from shared.exit.path import paths_from_result
from shared.standards import load_catalog
from shared.vocabulary import HouseholdClass


@dataclass(frozen=True)
class CommuneGap:
    """The commune's gap first, then each hamlet's, for the targets of ``year``."""

    year: int
    commune: AreaGap
    hamlets: list[AreaGap]


def _listed(row: repository.ListedRow) -> Listed:
    result: dict[str, Any] = row.result
    code = row.code
    standard = load_catalog().get(result["standard"])
    place = cast(Literal["rural", "urban"], row.area)
    cls = cast(HouseholdClass, row.household_class)
    deprived = tuple(result["deprived"])
    unknown = len(result.get("unknown", []))
    income = result.get("income_per_capita_vnd")
    return Listed(
        code,
        standard,
        place,
        cls,
        income,
        deprived,
        unknown,
        paths_from_result(standard, code, place, cls, income, deprived, unknown),
        row.persons,
        row.children,
        named_members(result),
    )


def gap(session: Session, principal: Principal | None, commune_id: int, year: int) -> CommuneGap:
    """Return what the commune must do to reach its ``year`` targets, and what doing it all
    would change."""
    commune = _authorize(session, principal, Permission.READ_REPORTS, commune_id)
    indicators = {i for i, _ in indicators_of(year)}
    goals = [
        ServiceGoal(t.key, t.title, t.indicator, tuple(t.population), t.percent, t.unit)
        for t in service_targets(session, commune.id, year)
        if t.indicator in indicators
    ]
    by_hamlet: dict[int, list[Listed]] = defaultdict(list)
    for row in repository.listed_results(session, commune.id, year):
        by_hamlet[row.hamlet_id].append(_listed(row))
    totals = repository.households_per_hamlet(session, [commune.id])
    own = repository.commune_target(session, commune.id, year)
    per_hamlet = repository.hamlet_targets(session, commune.id, year)
    hamlets = []
    for hamlet in repository.hamlets(session, commune.id):
        target = per_hamlet.get(hamlet.id)
        hamlets.append(
            area_gap(
                hamlet.code,
                hamlet.name,
                totals.get(hamlet.id, 0),
                by_hamlet.get(hamlet.id, []),
                None if target is None else target.poor,
                goals,
            )
        )
    everyone = [h for listed in by_hamlet.values() for h in listed]
    whole = area_gap(
        commune.code,
        commune.name,
        sum(totals.values()),
        sorted(everyone, key=lambda h: h.household_id),
        None if own is None else own.poor,
        goals,
    )
    return CommuneGap(year, whole, hamlets)
