"""What sync asks of the domains, handed to it when the app is composed (``server.feeds``):
sync imports no domain's service, and no domain imports sync.

A device pulls entities of the change sequence; each entity but sync's own (households,
conflicts, push outcomes) is read by the domain that entered it. A pushed survey is received
by the domain whose form it fills."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor
from server.auth.policy import Principal
from server.sync.schemas import SurveyPush

PullReader = Callable[[Session, list[str], set[int]], Mapping[str, dict[str, Any] | None]]
"""Return the pull item's data of each key of the entity changed since a device's cursor, for
a device holding the given hamlets: None (a tombstone) for what is gone or outside them."""


@dataclass(frozen=True)
class Receipt:
    """What became of a pushed survey: ``replayed`` when the same survey came before."""

    replayed: bool
    household_id: int
    survey_id: int | None = None
    household_class: str | None = None
    geofence: dict[str, Any] | None = None


Receiver = Callable[[Session, Principal, Actor, SurveyPush], Receipt]
"""Store a pushed survey and return its receipt; raise a catalog error to refuse it."""


@dataclass(frozen=True)
class Domains:
    """``readers`` by entity; ``surveys`` receives every form but those in ``forms``."""

    readers: Mapping[str, PullReader]
    surveys: Receiver
    forms: Mapping[str, Receiver]

    def receiver(self, form_id: str) -> Receiver:
        """Return who receives a survey of ``form_id``."""
        return self.forms.get(form_id, self.surveys)
