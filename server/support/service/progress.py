"""Where each registered household stands (its class now: the engine's stored verdict on its
latest survey; what remains, its stage) and the commune's progress per hamlet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Principal, require
from server.geography import repository as geography
from server.households import repository as households
from server.households.models import Household
from server.support import repository
from server.support.models import (
    Assignment,
    ExitRegistration,
    PlanAction,
    Visit,
)
from server.support.service.access import commune_for
from server.support.service.paths import (
    PathProgress,
    from_stored,
    from_survey,
    progress_along,
)
from shared.engine import parse_household
from shared.exit.path import ExitPaths
from shared.year_change import has_exited


@dataclass(frozen=True)
class Parts:
    assignments: list[Assignment]
    actions: list[PlanAction]
    visits: list[Visit]


def parts_of(session: Session, registration: ExitRegistration) -> Parts:
    """Return the registration's officers in force, support plan and visits."""
    ids = [registration.id]
    return Parts(
        repository.active_assignments(session, ids).get(registration.id, []),
        repository.actions(session, ids).get(registration.id, []),
        repository.visits(session, ids).get(registration.id, []),
    )


@dataclass(frozen=True)
class Standing:
    """Where a registered household stands: its class now by the engine on its latest data,
    the deprivations that remain, and its stage."""

    registration: ExitRegistration
    household: Household
    predicted_class: str
    remaining_deprivations: list[str]
    complete: bool
    source: str
    stage: str
    officer_ids: list[int]
    visits: int
    last_progress: str | None
    actions_done: int
    actions: int
    path: PathProgress
    exit_paths: ExitPaths | None


def _stage(
    registration: ExitRegistration,
    predicted: str,
    remaining: list[str],
    officers: list[int],
    visits: list[Visit],
    actions: list[PlanAction],
) -> str:
    """Return exited (the class now is better than the one it started from), on_track (it has
    officers, the support is moving: a visit reporting progress or an action under way or
    done, and no deprivation was added), else registered."""
    if has_exited(registration.starting_class, predicted):
        return "exited"
    last = visits[-1].progress if visits else None
    moving = last in ("in_progress", "completed") or any(
        a.status in ("in_progress", "done") for a in actions
    )
    if (
        officers
        and moving
        and last != "stalled"
        and not set(remaining) - set(registration.deprivations)
    ):
        return "on_track"
    return "registered"


def standings(
    session: Session, principal: Principal, registrations: list[ExitRegistration]
) -> list[Standing]:
    """Return each registration's standing: its class and what remains from the engine's stored
    result of the household's latest survey, or of the standing classification when it has
    none; its exit paths from that survey's facts, or from the stored result."""
    require(principal, Permission.READ_REGISTRY)
    ids = [r.id for r in registrations]
    household_ids = [r.household_id for r in registrations]
    homes = households.households_by_id(session, household_ids)
    surveyed = households.latest_surveyed(session, household_ids)
    documents = repository.latest_documents(session, household_ids)
    standing = households.standing_classifications(session, household_ids)
    held = repository.active_assignments(session, ids)
    visits = repository.visits(session, ids)
    actions = repository.actions(session, ids)
    hamlets = geography.hamlets_by_id(session, {r.hamlet_id for r in registrations})
    found = []
    for registration in registrations:
        home = homes[registration.household_id]
        stored = surveyed.get(registration.household_id)
        source = "latest_survey"
        if stored is None:
            stored = standing.get(registration.household_id)
            source = "standing_class"
        predicted = stored.household_class if stored else "undetermined"
        remaining = list(stored.deprived) if stored else []
        complete = bool(stored and stored.complete)
        paths: ExitPaths | None = None
        survey = documents.get(registration.household_id)
        if source == "latest_survey" and survey is not None:
            # The paths need the household's facts: units of member-level help (how many
            # members lack a card) are not in the engine's result.
            assert stored is not None
            paths = from_survey(parse_household(survey.household_document), stored)
        elif stored is not None:
            paths = from_stored(stored, home.code, hamlets[registration.hamlet_id].area)
        officers = sorted(a.officer_id for a in held.get(registration.id, []))
        own_visits = visits.get(registration.id, [])
        own_actions = actions.get(registration.id, [])
        found.append(
            Standing(
                registration=registration,
                household=home,
                predicted_class=predicted,
                remaining_deprivations=remaining,
                complete=complete,
                source=source,
                stage=_stage(registration, predicted, remaining, officers, own_visits, own_actions),
                officer_ids=officers,
                visits=len(own_visits),
                last_progress=own_visits[-1].progress if own_visits else None,
                actions_done=sum(a.status == "done" for a in own_actions),
                actions=len(own_actions),
                path=progress_along(registration.deprivations, predicted, remaining, paths),
                exit_paths=paths,
            )
        )
    return found


@dataclass
class Tally:
    registered: int = 0
    on_track: int = 0
    exited: int = 0

    @property
    def total(self) -> int:
        return self.registered + self.on_track + self.exited


@dataclass
class Progress:
    households: list[Standing]
    by_hamlet: dict[int, Tally] = field(default_factory=dict)
    by_officer: dict[int, Tally] = field(default_factory=dict)
    by_organisation: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


def progress(session: Session, principal: Principal, commune_id: int, year: int) -> Progress:
    """Return registered → on track → exited for the commune's registrations of ``year`` in
    the principal's scope, by hamlet, officer and organisation (a household helped by two
    organisations counts in each)."""
    commune_for(session, principal, Permission.READ_REGISTRY, commune_id)
    registrations = [
        r
        for r in repository.registrations(session, principal.scope, commune_id, year)
        if r.status != "withdrawn"
    ]
    found = standings(session, principal, registrations)
    officers = repository.officers_by_id(session, {o for s in found for o in s.officer_ids})
    report = Progress(found)
    for item in found:
        tallies = [report.total, report.by_hamlet.setdefault(item.registration.hamlet_id, Tally())]
        tallies += [report.by_officer.setdefault(o, Tally()) for o in item.officer_ids]
        organisations = sorted({officers[o].organisation for o in item.officer_ids})
        tallies += [report.by_organisation.setdefault(o, Tally()) for o in organisations]
        for tally in tallies:
            setattr(tally, item.stage, getattr(tally, item.stage) + 1)
    return report
