"""Assigning helping officers: the proposal the solver makes (server.support.assign), the commune
officer's decision and overrides, each within capacity and the hamlets an officer is
responsible for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.db import utcnow
from server.geography import repository as geography
from server.households import repository as households
from server.households.models import Household
from server.support import assign, repository
from server.support.models import (
    Assignment,
    ExitRegistration,
    HelpingOfficer,
    Proposal,
)
from server.support.service.access import announce, commune_for, missing, registration_for
from server.support.vocabulary import vocabulary
from shared.errors import ErrorCode, RasoatError


def _needs(registration: ExitRegistration) -> frozenset[str]:
    return vocabulary().skills_needed(
        [n["help_type"] for n in registration.needs], registration.deprivations, registration.causes
    )


def _location(household: Household) -> tuple[float, float] | None:
    if household.latitude is None or household.longitude is None:
        return None
    return (household.longitude, household.latitude)


def _base(officer: HelpingOfficer) -> tuple[float, float] | None:
    if officer.base_latitude is None or officer.base_longitude is None:
        return None
    return (officer.base_longitude, officer.base_latitude)


def propose(
    session: Session,
    principal: Principal,
    actor: Actor,
    commune_id: int,
    year: int,
    weights: assign.Weights,
) -> Proposal:
    """Return a new proposal of officers for the commune's registrations of ``year`` that
    still need officers (assignments in force stay and count towards the officers' loads);
    earlier open proposals are superseded."""
    commune = commune_for(session, principal, Permission.MANAGE_SUPPORT, commune_id)
    registrations = [
        r
        for r in repository.registrations(session, principal.scope, commune.id, year)
        if r.status != "withdrawn"
    ]
    held = repository.active_assignments(session, [r.id for r in registrations])
    wanting = [r for r in registrations if len(held.get(r.id, [])) < r.officers_needed]
    officers = repository.officers(session, commune.id, active_only=True)
    loads = repository.officer_loads(session, [o.id for o in officers], year)
    homes = households.households_by_id(session, [r.household_id for r in wanting])
    previous = repository.previous_officers(session, list(homes), year - 1)
    needs = [
        assign.HouseholdNeed(
            id=r.id,
            hamlet_id=r.hamlet_id,
            location=_location(homes[r.household_id]),
            needs=_needs(r),
            previous_officers=frozenset(previous.get(r.household_id, set())),
            officers=r.officers_needed - len(held.get(r.id, [])),
            excluded_officers=frozenset(a.officer_id for a in held.get(r.id, [])),
        )
        for r in wanting
    ]
    staff = [
        assign.Officer(
            id=o.id,
            skills=frozenset(o.skills),
            capacity=o.capacity,
            hamlet_ids=frozenset(o.hamlet_ids),
            base=_base(o),
            held=loads.get(o.id, 0),
        )
        for o in officers
    ]
    solution = assign.solve(needs, staff, weights)
    for earlier in repository.open_proposals(session, commune.id, year):
        earlier.status = "superseded"
    by_id = {r.id: r for r in wanting}
    proposal = Proposal(
        commune_id=commune.id,
        year=year,
        status="open",
        weights=asdict(weights),
        total_cost=solution.total_cost,
        cost_terms=solution.cost_terms,
        picks=[
            {
                "registration_id": p.household_id,
                "household_id": by_id[p.household_id].household_id,
                "officer_id": p.officer_id,
                "explanation": p.explanation(),
            }
            for p in solution.picks
        ],
        unassigned=[
            {"registration_id": u.household_id, "missing": u.missing, "reason": u.reason}
            for u in solution.unassigned
        ],
        loads={str(k): v for k, v in solution.loads.items()},
        created_by=principal.user_id,
    )
    repository.add(session, proposal)
    record(
        session,
        actor,
        "propose",
        "support_proposal",
        proposal.id,
        after={
            "commune_id": commune.id,
            "year": year,
            "weights": proposal.weights,
            "total_cost": proposal.total_cost,
            "pairs": [[p["registration_id"], p["officer_id"]] for p in proposal.picks],
            "unassigned": [u["registration_id"] for u in proposal.unassigned],
        },
    )
    return proposal


def proposal_for(session: Session, principal: Principal, proposal_id: int) -> dict[str, Any]:
    """Return the fields of a proposal of a commune the principal may read, its picks and
    unassigned households cut to the hamlets in the principal's scope (the totals and loads
    stay: they name nobody)."""
    found = repository.proposal(session, proposal_id)
    if found is None:
        raise missing(f"proposal {proposal_id}")
    commune = commune_for(session, principal, Permission.READ_REGISTRY, found.commune_id)
    fields = {c.key: getattr(found, c.key) for c in Proposal.__table__.columns}
    if principal.scope.covers(geography.place_of_commune(commune)):
        return fields
    listed = [*found.picks, *found.unassigned]
    registrations = repository.registrations_by_id(session, [p["registration_id"] for p in listed])
    seen = {r.id for r in registrations.values() if r.hamlet_id in principal.scope.hamlet_ids}
    fields["picks"] = [p for p in found.picks if p["registration_id"] in seen]
    fields["unassigned"] = [u for u in found.unassigned if u["registration_id"] in seen]
    return fields


def check_officers(
    session: Session,
    registration: ExitRegistration,
    officer_ids: list[int],
    commune_id: int,
    require_hamlet: bool,
) -> dict[int, HelpingOfficer]:
    found = repository.officers_by_id(session, officer_ids)
    for officer_id in officer_ids:
        officer = found.get(officer_id)
        if officer is None or officer.commune_id != commune_id:
            raise missing(f"helping officer {officer_id}")
        if not officer.active:
            raise RasoatError(ErrorCode.OFFICER_INACTIVE, officer_id=officer_id)
        if (
            require_hamlet
            and officer.hamlet_ids
            and registration.hamlet_id not in officer.hamlet_ids
        ):
            raise RasoatError(ErrorCode.OFFICER_NOT_RESPONSIBLE, officer_id=officer_id)
    return found


def _assign(
    session: Session,
    principal: Principal,
    registration: ExitRegistration,
    wanted: dict[int, dict[str, Any] | None],
    source: str,
    proposal_id: int | None,
    reason: str | None,
) -> tuple[list[int], list[int]]:
    """Make ``wanted`` (officer id → explanation) the registration's officers: end the others,
    add the new. Returns the officer ids (before, after)."""
    held = repository.active_assignments(session, [registration.id]).get(registration.id, [])
    before = sorted(a.officer_id for a in held)
    now = utcnow()
    for assignment in held:
        if assignment.officer_id not in wanted:
            assignment.active = False
            assignment.ended_at = now
    kept = {a.officer_id for a in held}
    repository.add_all(
        session,
        [
            Assignment(
                registration_id=registration.id,
                officer_id=officer_id,
                source=source,
                proposal_id=proposal_id,
                explanation=explanation,
                reason=reason,
                assigned_by=principal.user_id,
            )
            for officer_id, explanation in sorted(wanted.items())
            if officer_id not in kept
        ],
    )
    return before, sorted(wanted)


def _check_capacity(session: Session, officer_ids: set[int], year: int) -> None:
    """Raise OVER_CAPACITY when an officer helps more households of ``year`` than their capacity."""
    loads = repository.officer_loads(session, officer_ids, year)
    for officer_id, officer in repository.officers_by_id(session, officer_ids).items():
        if loads.get(officer_id, 0) > officer.capacity:
            raise RasoatError(
                ErrorCode.OVER_CAPACITY,
                officer_id=officer_id,
                load=loads[officer_id],
                capacity=officer.capacity,
            )


def decide(
    session: Session,
    principal: Principal,
    actor: Actor,
    proposal_id: int,
    edits: list[tuple[int, list[int]]],
    reason: str | None,
) -> Proposal:
    """Accept an open proposal, with ``changes`` (registration id → the officers chosen
    instead) when the commune officer edits it. Capacity and, when the proposal required it,
    hamlet responsibility still hold; the whole decision is one audit entry."""
    changes = dict(edits)
    if len(changes) != len(edits):
        raise RasoatError(ErrorCode.DUPLICATE_EDIT)
    proposal = repository.proposal(session, proposal_id, lock=True)
    if proposal is None:
        raise missing(f"proposal {proposal_id}")
    commune_for(session, principal, Permission.MANAGE_SUPPORT, proposal.commune_id)
    if proposal.status != "open":
        raise RasoatError(
            ErrorCode.PROPOSAL_CLOSED, proposal_id=proposal_id, status=proposal.status
        )
    proposed: dict[int, dict[int, dict[str, Any] | None]] = defaultdict(dict)
    for pick in proposal.picks:
        proposed[pick["registration_id"]][pick["officer_id"]] = pick["explanation"]
    unknown = sorted(
        set(changes) - set(proposed) - {u["registration_id"] for u in proposal.unassigned}
    )
    if unknown:
        raise RasoatError(ErrorCode.NOT_IN_PROPOSAL, registrations=unknown)
    registrations = repository.registrations_by_id(session, set(proposed) | set(changes))
    require_hamlet = bool(proposal.weights.get("require_hamlet", True))
    touched = []
    decisions = []
    officers: set[int] = set()
    for registration_id in sorted(registrations):
        registration = registrations[registration_id]
        if registration.status == "withdrawn":
            continue
        held = repository.active_assignments(session, [registration.id]).get(registration.id, [])
        if registration_id in changes:
            chosen = sorted(set(changes[registration_id]))
            check_officers(session, registration, chosen, proposal.commune_id, require_hamlet)
            wanted = {o: proposed[registration_id].get(o) for o in chosen}
            source = "edited"
        else:
            wanted = {a.officer_id: a.explanation for a in held} | proposed[registration_id]
            source = "proposal"
        before, after = _assign(
            session, principal, registration, wanted, source, proposal.id, reason
        )
        officers.update(after)
        if before != after:
            touched.append(registration)
            decisions.append([registration_id, before, after, source])
    _check_capacity(session, officers, proposal.year)
    proposal.status = "accepted"
    proposal.decided_by = principal.user_id
    proposal.decided_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "accept" if not changes else "accept_edited",
        "support_proposal",
        proposal.id,
        before={"status": "open"},
        after={"status": "accepted", "reason": reason, "assignments": decisions},
    )
    announce(session, touched)
    return proposal


def override(
    session: Session,
    principal: Principal,
    actor: Actor,
    registration_id: int,
    officer_ids: list[int],
    reason: str,
) -> list[Assignment]:
    """Set a registration's officers by hand, outside any proposal; capacity still holds."""
    registration = registration_for(
        session, principal, Permission.MANAGE_SUPPORT, registration_id, lock=True
    )
    if registration.status == "withdrawn":
        raise RasoatError(ErrorCode.REGISTRATION_WITHDRAWN, registration_id=registration_id)
    hamlet = geography.hamlet(session, registration.hamlet_id)
    assert hamlet is not None
    chosen = sorted(set(officer_ids))
    check_officers(session, registration, chosen, hamlet.commune_id, require_hamlet=False)
    before, after = _assign(
        session, principal, registration, dict.fromkeys(chosen), "override", None, reason
    )
    _check_capacity(session, set(after), registration.year)
    record(
        session,
        actor,
        "override",
        "exit_registration",
        registration.id,
        before={"officers": before},
        after={"officers": after, "reason": reason},
    )
    announce(session, [registration])
    return repository.active_assignments(session, [registration.id]).get(registration.id, [])
