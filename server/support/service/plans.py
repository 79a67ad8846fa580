"""A registered household's support plan: its actions, who is responsible, the source of funds,
and their status; and the plan its exit path suggests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.geography import repository as geography
from server.support import repository
from server.support.models import (
    ExitRegistration,
    PlanAction,
)
from server.support.service.access import announce, missing, registration_for
from server.support.service.assignments import check_officers
from server.support.service.progress import standings
from server.support.vocabulary import vocabulary
from shared.errors import ErrorCode, Lang, RasoatError
from shared.exit.actions import load_actions


@dataclass(frozen=True)
class ActionData:
    action: str
    funding_source: str
    status: str = "planned"
    help_type: str | None = None
    officer_id: int | None = None
    organisation: str | None = None
    planned_date: date | None = None
    actual_date: date | None = None
    value_vnd: int | None = None


def action_record(action: PlanAction) -> dict[str, Any]:
    return {
        "action": action.action,
        "help_type": action.help_type,
        "officer_id": action.officer_id,
        "organisation": action.organisation,
        "funding_source": action.funding_source,
        "planned_date": None if action.planned_date is None else action.planned_date.isoformat(),
        "actual_date": None if action.actual_date is None else action.actual_date.isoformat(),
        "value_vnd": action.value_vnd,
        "status": action.status,
    }


def _check_action(session: Session, registration: ExitRegistration, data: ActionData) -> None:
    words = vocabulary()
    if data.funding_source not in words.funding_sources:
        raise RasoatError(ErrorCode.UNKNOWN_FUNDING_SOURCE, funding_source=data.funding_source)
    if data.organisation is not None and data.organisation not in words.organisations:
        raise RasoatError(ErrorCode.UNKNOWN_ORGANISATION, organisation=data.organisation)
    if data.officer_id is not None:
        hamlet = geography.hamlet(session, registration.hamlet_id)
        assert hamlet is not None
        check_officers(session, registration, [data.officer_id], hamlet.commune_id, False)
    if data.status == "done" and data.actual_date is None:
        raise RasoatError(ErrorCode.ACTUAL_DATE_REQUIRED)


def add_action(
    session: Session, principal: Principal, actor: Actor, registration_id: int, data: ActionData
) -> PlanAction:
    """Add an action to the household's support plan."""
    registration = registration_for(session, principal, Permission.MANAGE_SUPPORT, registration_id)
    _check_action(session, registration, data)
    action = PlanAction(
        registration_id=registration.id, created_by=principal.user_id, **asdict(data)
    )
    repository.add(session, action)
    record(
        session,
        actor,
        "add_action",
        "exit_registration",
        registration.id,
        after={"action_id": action.id, **action_record(action)},
    )
    announce(session, [registration])
    return action


def update_action(
    session: Session, principal: Principal, actor: Actor, action_id: int, data: ActionData
) -> PlanAction:
    """Replace an action of a support plan (its status, dates, value…)."""
    action = repository.action(session, action_id)
    if action is None:
        raise missing(f"plan action {action_id}")
    registration = registration_for(
        session, principal, Permission.MANAGE_SUPPORT, action.registration_id
    )
    _check_action(session, registration, data)
    before = action_record(action)
    for key, value in asdict(data).items():
        setattr(action, key, value)
    session.flush()
    record(
        session,
        actor,
        "update_action",
        "exit_registration",
        registration.id,
        before={"action_id": action.id, **before},
        after={"action_id": action.id, **action_record(action)},
    )
    announce(session, [registration])
    return action


def suggested_plan(
    session: Session, principal: Principal, registration_id: int, lang: Lang
) -> dict[str, Any]:
    """Return the support plan the household's exit path suggests, from its latest data: each
    tied minimal path to near-poor as actions with the form of help the seeds' forms record and
    the organisations that usually give it (``shared/exit/actions.yaml``), the income gap off
    the lists, all explained in ``lang``. Nothing is stored: the commune officer adds the
    actions it keeps (with funds and dates the path cannot know) through ``add_action``."""
    registration = registration_for(session, principal, Permission.READ_REGISTRY, registration_id)
    standing = standings(session, principal, [registration])[0]
    found: dict[str, Any] = {
        "registration_id": registration.id,
        "household_id": registration.household_id,
        "source": standing.source,
    }
    if standing.exit_paths is None:
        return {
            **found,
            "class": "undetermined",
            "standard": None,
            "income_line_vnd": None,
            "income_per_capita_vnd": None,
            "to_near_poor": [],
            "off_lists": None,
            "blocked": ["undetermined"],
            "missing": [],
            "summary": None,
        }
    document = standing.exit_paths.to_dict(lang)
    actions = load_actions().actions
    for path in document["to_near_poor"]:
        for step in path["steps"]:
            action = actions[step["indicator"]]
            step["help_type"] = action.help_type
            step["organisations"] = list(action.organisations)
    return {**found, **{k: v for k, v in document.items() if k != "household_id"}}
