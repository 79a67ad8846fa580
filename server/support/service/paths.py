"""A registered household's exit path from its latest data (``shared.exit.path``, never a copy
of its rules): on the facts of its latest survey when there is one, else on the stored result
of the classification that stands for it. Support plans are proposed from it and progress
follows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from server.households.models import Classification as StoredClassification
from shared.exit.actions import load_actions
from shared.exit.path import ExitPaths, exit_paths, paths_from_result
from shared.household import Household
from shared.standards import load_catalog
from shared.vocabulary import ON_LISTS, HouseholdClass


def from_survey(household: Household, stored: StoredClassification) -> ExitPaths:
    """Return the paths on the facts of the household's latest survey, under the standard the
    engine classified it by (its stored classification's)."""
    return exit_paths(household, standard=load_catalog().get(stored.standard_id))


def from_stored(stored: StoredClassification, code: str, area: str) -> ExitPaths:
    """Return the paths the engine's stored result of a classification allows (of the
    household's latest survey, or of the classification that stands for it)."""
    result = stored.result
    return paths_from_result(
        load_catalog().get(stored.standard_id),
        code,
        cast(Literal["rural", "urban"], area),
        cast(HouseholdClass, stored.household_class),
        result.get("income_per_capita_vnd"),
        list(stored.deprived),
        len(result.get("unknown", [])),
    )


@dataclass(frozen=True)
class PathProgress:
    """How far along its path a registered household is: of the deprivations it registered
    with that some help resolves (the plan's path, lowest tiers first), those the engine no
    longer finds (``done``) and those it still finds (``remaining``); the tied minimal sets
    still needed to become near-poor (``next_steps``); whether its class now is near-poor or
    better and off the lists (None while undetermined); and the income gap left."""

    done: list[str]
    remaining: list[str]
    next_steps: list[list[str]]
    near_poor_or_better: bool | None
    off_lists: bool | None
    income_gap_per_capita_vnd: int | None


def progress_along(
    registered: list[str], predicted: str, remaining: list[str], paths: ExitPaths | None
) -> PathProgress:
    """Return where the household stands on the path it registered with, from its class now,
    the deprivations that remain and its paths now (None when nothing is known of it)."""
    actions = load_actions()
    path = sorted((i for i in registered if actions.rank(i) is not None), key=actions.order)
    still = set(remaining)
    known = predicted != "undetermined"
    gap = None
    if paths is not None and paths.off_lists is not None:
        gap = paths.off_lists.income_gap_per_capita_vnd
    return PathProgress(
        done=[i for i in path if i not in still],
        remaining=[i for i in path if i in still],
        next_steps=[]
        if paths is None
        else [[s.indicator for s in p.steps] for p in paths.to_near_poor],
        near_poor_or_better=predicted != "poor" if known else None,
        off_lists=predicted not in ON_LISTS if known else None,
        income_gap_per_capita_vnd=gap if predicted in ON_LISTS else None,
    )
