"""The forms of help a commune can give for each indicator, ranked, as data
(``actions.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.standard import Text

DATA = Path(__file__).parent / "actions.yaml"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Action(_Data):
    """The help that resolves one indicator: its tier (lower first), what one unit counts, what
    is done, who usually does it, and why it sits in its tier."""

    tier: Annotated[int, Field(ge=1)] | None = None
    actionable: bool = True
    per: Literal["household", "member"]
    unit: Text
    # For help counted per member, the unit when only households can be counted (a commune's
    # gap from stored results, which do not say how many members lack it).
    unit_households: Text | None = None
    # For help counted per member, the unit when a commune's target counts the members who
    # lack it (persons for health insurance, children for schooling): none say "cards".
    unit_people: Text | None = None
    action: Text
    by: Text
    # The form of help and the organisations of a support plan's action (actions.yaml says
    # which vocabulary); none for an indicator no help resolves.
    help_type: str | None = None
    organisations: tuple[str, ...] = ()
    reason: Text


class Actions(_Data):
    tiers: dict[int, Text]
    actions: dict[str, Action]

    @model_validator(mode="after")
    def _ranked_when_actionable(self) -> Actions:
        for indicator, action in self.actions.items():
            if action.actionable and action.tier not in self.tiers:
                raise ValueError(f"{indicator}: an actionable indicator needs one of the tiers")
        return self

    def rank(self, indicator: str) -> int | None:
        """Return the indicator's tier, or None when no help resolves it (not actionable or
        not listed: an indicator the data does not name is never promised)."""
        action = self.actions.get(indicator)
        if action is None or not action.actionable:
            return None
        return action.tier

    def order(self, indicator: str) -> tuple[int, int]:
        """Return the sort key of an indicator: its tier, then its place in the file."""
        names = list(self.actions)
        tier = self.rank(indicator)
        place = names.index(indicator) if indicator in self.actions else len(names)
        return (tier if tier is not None else 1_000, place)


@cache
def load_actions() -> Actions:
    """Return the shipped ranking of the forms of help."""
    return Actions.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))
