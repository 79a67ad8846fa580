"""The vocabulary of exiting poverty (``vocabulary.yaml``): organisations, skills, sources of
funds, and which skills a household's needs, deprivations and causes call for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SOURCE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class Vocabulary:
    skills: tuple[str, ...]
    organisations: tuple[str, ...]
    funding_sources: tuple[str, ...]
    skill_of_help: dict[str, str]
    skill_of_deprivation: dict[str, str]
    skill_of_cause: dict[str, str]
    funding_of_form_source: dict[str, str]

    def skills_needed(
        self, help_types: Iterable[str], deprivations: Iterable[str], causes: Iterable[str]
    ) -> frozenset[str]:
        """Return the skills a household's needs, remaining deprivations and causes call for."""
        return frozenset(
            [self.skill_of_help[h] for h in help_types if h in self.skill_of_help]
            + [self.skill_of_deprivation[d] for d in deprivations if d in self.skill_of_deprivation]
            + [self.skill_of_cause[c] for c in causes if c in self.skill_of_cause]
        )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Return the vocabulary read from ``vocabulary.yaml``."""
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return Vocabulary(
        skills=tuple(data["skills"]),
        organisations=tuple(data["organisations"]),
        funding_sources=tuple(data["funding_sources"]),
        skill_of_help=dict(data["skill_of_help"]),
        skill_of_deprivation=dict(data["skill_of_deprivation"]),
        skill_of_cause=dict(data["skill_of_cause"]),
        funding_of_form_source=dict(data["funding_of_form_source"]),
    )
