"""Rules of exiting poverty: who may register, confirm, assign and visit; proposals from the
optimiser; support plans; and progress from the engine re-run on each household's latest data.

Never commits: the request's session does. Every change is audited, and every change of a
registration or its officers enters the sync change sequence in the household's hamlet stream,
so the tablets working there (the officers' among them) receive it on their next pull.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth import repository as accounts
from server.auth.policy import Permission, Principal, Role, require, require_place
from server.db import utcnow
from server.geography import repository as geography
from server.geography.models import Commune, Hamlet
from server.households import repository as households
from server.households.models import Household
from server.support import assign, repository
from server.support.models import (
    Assignment,
    ExitRegistration,
    ExitTarget,
    HelpingOfficer,
    PlanAction,
    Proposal,
    Visit,
)
from server.support.vocabulary import vocabulary
from server.sync import repository as sync
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.forms.validate import check_answers
from shared.vocabulary import ON_LISTS
from shared.year_change import has_exited

REGISTRATION_FORM = "exit_registration"
VISIT_FORM = "support_visit"
SUPPORT_FORMS = (REGISTRATION_FORM, VISIT_FORM)
STAGES = ("registered", "on_track", "exited")


def _missing(what: str) -> RasoatError:
    return RasoatError(ErrorCode.NOT_FOUND, what=what)


def _invalid(problem: str) -> RasoatError:
    return RasoatError(ErrorCode.INVALID_REQUEST, problem=problem)


def _announce(session: Session, registrations: list[ExitRegistration]) -> None:
    """Enter the registrations in their hamlets' sync streams."""
    sync.add_changes(
        session.connection(),
        [
            {"entity": "support", "entity_key": str(r.id), "hamlet_id": r.hamlet_id}
            for r in sorted(registrations, key=lambda r: r.id)
        ],
    )


# ----------------------------------------------------------------------------- places


def commune_for(
    session: Session, principal: Principal, permission: Permission, commune_id: int
) -> Commune:
    """Return the commune when the principal may use ``permission`` across it; reading needs
    only some hamlet of it in scope."""
    commune = geography.commune(session, commune_id)
    if commune is None:
        raise _missing(f"commune {commune_id}")
    if permission is Permission.READ_REGISTRY:
        require(principal, permission)
        if commune not in geography.communes(session, principal.scope):
            raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    else:
        require_place(principal, permission, geography.place_of_commune(commune))
    return commune


def _hamlet_for(
    session: Session, principal: Principal, permission: Permission, hamlet_id: int
) -> Hamlet:
    hamlet = geography.hamlet(session, hamlet_id)
    if hamlet is None:
        raise _missing(f"hamlet {hamlet_id}")
    require_place(principal, permission, geography.place_of(hamlet))
    return hamlet


def registration_for(
    session: Session,
    principal: Principal,
    permission: Permission,
    registration_id: int,
    lock: bool = False,
) -> ExitRegistration:
    """Return the registration when the principal may use ``permission`` in its hamlet."""
    found = repository.registration(session, registration_id, lock)
    if found is None:
        raise _missing(f"registration {registration_id}")
    _hamlet_for(session, principal, permission, found.hamlet_id)
    return found


# ----------------------------------------------------------------------------- officers


@dataclass(frozen=True)
class OfficerData:
    full_name: str
    organisation: str
    skills: list[str]
    hamlet_ids: list[int]
    capacity: int
    base_latitude: float | None = None
    base_longitude: float | None = None
    user_id: int | None = None
    active: bool = True


def _officer_record(officer: HelpingOfficer) -> dict[str, Any]:
    return {
        "full_name": officer.full_name,
        "organisation": officer.organisation,
        "skills": officer.skills,
        "hamlet_ids": officer.hamlet_ids,
        "capacity": officer.capacity,
        "base": [officer.base_latitude, officer.base_longitude],
        "user_id": officer.user_id,
        "active": officer.active,
    }


def _check_officer(session: Session, commune: Commune, data: OfficerData) -> None:
    words = vocabulary()
    if data.organisation not in words.organisations:
        raise _invalid(f"unknown organisation {data.organisation}")
    unknown = sorted(set(data.skills) - set(words.skills))
    if unknown:
        raise _invalid(f"unknown skills {', '.join(unknown)}")
    hamlets = geography.hamlets_by_id(session, data.hamlet_ids)
    if len(hamlets) != len(set(data.hamlet_ids)) or any(
        h.commune_id != commune.id for h in hamlets
    ):
        raise _invalid("every responsible hamlet must be a hamlet of the commune")
    if (data.base_latitude is None) != (data.base_longitude is None):
        raise _invalid("give both coordinates of the home base, or neither")
    if data.user_id is not None:
        _check_officer_user(session, commune, data.user_id)


def _check_officer_user(session: Session, commune: Commune, user_id: int) -> None:
    """Refuse to link an officer to an account working outside the commune (NOT_FOUND, so a
    commune officer learns nothing of other communes' accounts) or to an account that is not
    a helping officer's."""
    user = accounts.user(session, user_id)
    scope = None if user is None else accounts.scope_of(user)
    hamlets = geography.hamlets_by_id(session, scope.hamlet_ids if scope else [])
    if user is None or not hamlets or any(h.commune_id != commune.id for h in hamlets):
        raise _missing(f"user {user_id}")
    if user.role != Role.HELPING_OFFICER.value:
        raise _invalid(f"user {user_id} is not a helping officer")


def create_officer(
    session: Session, principal: Principal, actor: Actor, commune_id: int, data: OfficerData
) -> HelpingOfficer:
    """Add a helping officer to the commune's registry."""
    commune = commune_for(session, principal, Permission.MANAGE_SUPPORT, commune_id)
    _check_officer(session, commune, data)
    if data.user_id is not None and repository.officer_of_user(session, data.user_id):
        raise RasoatError(ErrorCode.CONFLICT, problem=f"user {data.user_id} is an officer")
    officer = HelpingOfficer(
        commune_id=commune.id,
        user_id=data.user_id,
        full_name=data.full_name,
        organisation=data.organisation,
        skills=sorted(set(data.skills)),
        hamlet_ids=sorted(set(data.hamlet_ids)),
        base_latitude=data.base_latitude,
        base_longitude=data.base_longitude,
        capacity=data.capacity,
        active=data.active,
    )
    repository.add(session, officer)
    record(session, actor, "create", "helping_officer", officer.id, after=_officer_record(officer))
    return officer


def update_officer(
    session: Session, principal: Principal, actor: Actor, officer_id: int, data: OfficerData
) -> HelpingOfficer:
    """Replace an officer's registry entry; lowering the capacity below the households held
    is refused."""
    officer = repository.officer(session, officer_id)
    if officer is None:
        raise _missing(f"helping officer {officer_id}")
    commune = commune_for(session, principal, Permission.MANAGE_SUPPORT, officer.commune_id)
    _check_officer(session, commune, data)
    held = repository.largest_load(session, officer.id)
    if data.capacity < held:
        raise RasoatError(
            ErrorCode.CONFLICT, problem=f"the officer helps {held} households already"
        )
    if data.user_id not in (None, officer.user_id):
        holder = repository.officer_of_user(session, data.user_id)
        if holder is not None:
            raise RasoatError(ErrorCode.CONFLICT, problem=f"user {data.user_id} is an officer")
    before = _officer_record(officer)
    officer.full_name = data.full_name
    officer.organisation = data.organisation
    officer.skills = sorted(set(data.skills))
    officer.hamlet_ids = sorted(set(data.hamlet_ids))
    officer.capacity = data.capacity
    officer.base_latitude = data.base_latitude
    officer.base_longitude = data.base_longitude
    officer.user_id = data.user_id
    officer.active = data.active
    session.flush()
    record(
        session, actor, "update", "helping_officer", officer.id, before, _officer_record(officer)
    )
    return officer


def list_officers(session: Session, principal: Principal, commune_id: int) -> list[HelpingOfficer]:
    """Return the commune's helping officers."""
    commune_for(session, principal, Permission.READ_REGISTRY, commune_id)
    return repository.officers(session, commune_id)


# ----------------------------------------------------------------------------- registrations


@dataclass(frozen=True)
class RegistrationData:
    household_id: int
    year: int
    causes: list[str]
    needs: list[dict[str, Any]]
    target_date: date
    officers_needed: int = 1
    submission_uuid: str | None = None
    answers: dict[str, Any] | None = None


def _registration_record(registration: ExitRegistration) -> dict[str, Any]:
    return {
        "household_id": registration.household_id,
        "year": registration.year,
        "status": registration.status,
        "starting_class": registration.starting_class,
        "causes": registration.causes,
        "deprivations": registration.deprivations,
        "needs": registration.needs,
        "officers_needed": registration.officers_needed,
        "target_date": registration.target_date.isoformat(),
        "submission_uuid": registration.submission_uuid,
    }


def register(
    session: Session, principal: Principal, actor: Actor, data: RegistrationData
) -> ExitRegistration:
    """Register a poor or near-poor household to exit poverty in ``data.year``; its remaining
    deprivations are those of the classification standing for it. Raises CONFLICT when it is
    registered for that year already."""
    household = households.household(session, data.household_id)
    if household is None:
        raise _missing(f"household {data.household_id}")
    _hamlet_for(session, principal, Permission.REGISTER_EXITS, household.hamlet_id)
    if data.target_date.year != data.year:
        raise _invalid("the target date must fall in the year of registration")
    if repository.registration_of(session, household.id, data.year) is not None:
        raise RasoatError(
            ErrorCode.CONFLICT,
            problem=f"household {household.code} is registered for {data.year} already",
        )
    standing = repository.standing_classifications(session, [household.id]).get(household.id)
    if standing is None or standing.household_class not in ON_LISTS:
        raise _invalid(f"household {household.code} is not on the poor or near-poor list")
    registration = ExitRegistration(
        household_id=household.id,
        hamlet_id=household.hamlet_id,
        year=data.year,
        status="registered",
        starting_class=standing.household_class,
        causes=sorted(set(data.causes)),
        deprivations=list(standing.deprived),
        needs=data.needs,
        officers_needed=data.officers_needed,
        target_date=data.target_date,
        submission_uuid=data.submission_uuid,
        answers=data.answers,
        registered_by=principal.user_id,
    )
    repository.add(session, registration)
    record(
        session,
        actor,
        "register",
        "exit_registration",
        registration.id,
        after=_registration_record(registration),
    )
    _announce(session, [registration])
    return registration


def set_status(
    session: Session,
    principal: Principal,
    actor: Actor,
    registration_ids: list[int],
    status: str,
) -> list[ExitRegistration]:
    """Confirm registrations (the commune's list) or withdraw them; a withdrawn household's
    officers are released."""
    found = []
    for registration_id in sorted(set(registration_ids)):
        registration = registration_for(
            session, principal, Permission.MANAGE_SUPPORT, registration_id, lock=True
        )
        if registration.status == "withdrawn":
            raise RasoatError(
                ErrorCode.CONFLICT, problem=f"registration {registration_id} is withdrawn"
            )
        found.append(registration)
    changed = [r for r in found if r.status != status]
    now = utcnow()
    for registration in changed:
        before = registration.status
        registration.status = status
        if status == "confirmed":
            registration.confirmed_by = principal.user_id
            registration.confirmed_at = now
        else:
            for held in repository.active_assignments(session, [registration.id]).get(
                registration.id, []
            ):
                held.active = False
                held.ended_at = now
        session.flush()
        record(
            session,
            actor,
            "confirm" if status == "confirmed" else "withdraw",
            "exit_registration",
            registration.id,
            before={"status": before},
            after={"status": status},
        )
    _announce(session, changed)
    return found


def list_registrations(
    session: Session,
    principal: Principal,
    commune_id: int | None,
    year: int | None,
    hamlet_id: int | None,
    status: str | None,
) -> list[ExitRegistration]:
    """Return the registrations in the principal's scope."""
    require(principal, Permission.READ_REGISTRY)
    return repository.registrations(session, principal.scope, commune_id, year, hamlet_id, status)


def set_target(
    session: Session, principal: Principal, actor: Actor, hamlet_id: int, year: int, count: int
) -> ExitTarget:
    """Set how many households of the hamlet are to exit poverty in ``year``."""
    hamlet = _hamlet_for(session, principal, Permission.MANAGE_SUPPORT, hamlet_id)
    target = repository.target(session, hamlet.id, year)
    before = None if target is None else {"households": target.households}
    if target is None:
        target = ExitTarget(hamlet_id=hamlet.id, year=year, households=count)
        repository.add(session, target)
    else:
        target.households = count
        session.flush()
    record(
        session,
        actor,
        "set_target",
        "hamlet",
        hamlet.id,
        before=before,
        after={"year": year, "households": count},
    )
    return target


@dataclass(frozen=True)
class HamletCount:
    hamlet_id: int
    hamlet_name: str
    target: int | None
    registered: int
    confirmed: int


def hamlet_counts(
    session: Session, principal: Principal, commune_id: int, year: int
) -> list[HamletCount]:
    """Return, per hamlet of the commune in scope, households registered (confirmed or not)
    and confirmed against the year's target."""
    commune_for(session, principal, Permission.READ_REGISTRY, commune_id)
    hamlets = geography.hamlets(session, principal.scope, commune_id)
    registrations = repository.registrations(session, principal.scope, commune_id, year)
    targets = repository.targets(session, [h.id for h in hamlets], year)
    registered = Counter(r.hamlet_id for r in registrations if r.status != "withdrawn")
    confirmed = Counter(r.hamlet_id for r in registrations if r.status == "confirmed")
    return [
        HamletCount(h.id, h.name, targets.get(h.id), registered[h.id], confirmed[h.id])
        for h in hamlets
    ]


# ----------------------------------------------------------------------------- forms


@dataclass(frozen=True)
class FormRecord:
    """A support form filled on a tablet: exit_registration or support_visit."""

    uuid: str
    household_id: int
    form_id: str
    form_version: int
    answers: dict[str, Any]
    meta: dict[str, Any]


@dataclass(frozen=True)
class Received:
    kind: str
    id: int
    replayed: bool
    registration_id: int


def receive_form(
    session: Session, principal: Principal, actor: Actor, form: FormRecord
) -> Received:
    """Store a support form once: a registration or a visit. A resent form (same uuid) returns
    what was stored the first time."""
    if form.form_id not in SUPPORT_FORMS:
        raise RasoatError(ErrorCode.UNKNOWN_FORM, form_id=form.form_id, version=form.form_version)
    household = households.household(session, form.household_id)
    if household is None:
        raise _missing(f"household {form.household_id}")
    registering = form.form_id == REGISTRATION_FORM
    permission = Permission.REGISTER_EXITS if registering else Permission.RECORD_VISITS
    _hamlet_for(session, principal, permission, household.hamlet_id)
    if registering:
        stored = repository.registration_by_uuid(session, form.uuid)
        if stored is not None:
            if stored.household_id != household.id:
                raise RasoatError(ErrorCode.CONFLICT, problem=f"form {form.uuid} exists")
            return Received("registration", stored.id, True, stored.id)
    else:
        visit = repository.visit_by_uuid(session, form.uuid)
        if visit is not None:
            if visit.user_id != principal.user_id:
                raise RasoatError(ErrorCode.CONFLICT, problem=f"form {form.uuid} exists")
            return Received("visit", visit.id, True, visit.registration_id)
    filled = check_answers(
        shipped().get(form.form_id, form.form_version),
        {
            "form": form.form_id,
            "version": form.form_version,
            "answers": form.answers,
            "meta": form.meta,
        },
    )
    if filled.errors:
        raise RasoatError(
            ErrorCode.VALIDATION_FAILED,
            count=len(filled.errors),
            issues=[issue.to_dict() for issue in filled.errors],
        )
    answers: dict[str, Any] = filled.to_json()["answers"]
    if answers.get("household_id") != household.code:
        raise _invalid(
            f"the answers describe household {answers.get('household_id')}, not {household.code}"
        )
    if form.form_id == REGISTRATION_FORM:
        registration = register(
            session,
            principal,
            actor,
            RegistrationData(
                household_id=household.id,
                year=int(answers["registration_year"]),
                causes=list(answers["causes"]),
                needs=[
                    {
                        "help_type": row["help_type"],
                        "detail": row.get("need_detail"),
                        "responsible": row.get("responsible"),
                    }
                    for row in answers["needs"]
                ],
                target_date=date.fromisoformat(answers["target_date"]),
                submission_uuid=form.uuid,
                answers=filled.to_json(),
            ),
        )
        return Received("registration", registration.id, False, registration.id)
    visit = record_visit(session, principal, actor, household, form.uuid, answers)
    return Received("visit", visit.id, False, visit.registration_id)


def record_visit(
    session: Session,
    principal: Principal,
    actor: Actor,
    household: Household,
    uuid: str,
    answers: dict[str, Any],
) -> Visit:
    """Store a checked support_visit form against the household's registration of the visit's
    year. A helping officer records visits only to the households assigned to them."""
    _hamlet_for(session, principal, Permission.RECORD_VISITS, household.hamlet_id)
    visited = date.fromisoformat(answers["visit_date"])
    registration = repository.registration_of(session, household.id, visited.year)
    if registration is None or registration.status == "withdrawn":
        raise _missing(f"registration of household {household.code} for {visited.year}")
    officer = repository.officer_of_user(session, principal.user_id)
    held = {
        a.officer_id
        for a in repository.active_assignments(session, [registration.id])[registration.id]
    }
    if not principal.can(Permission.MANAGE_SUPPORT) and (officer is None or officer.id not in held):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    photos = [row["photo"]["sha256"] for row in answers.get("photos") or [] if row.get("photo")]
    visit = Visit(
        uuid=uuid,
        registration_id=registration.id,
        officer_id=None if officer is None else officer.id,
        user_id=principal.user_id,
        visit_date=visited,
        progress=str(answers["progress"]),
        total_value_vnd=int(answers.get("total_value_vnd") or 0),
        answers=answers,
        photos=photos,
    )
    repository.add(session, visit)
    record(
        session,
        actor,
        "visit",
        "exit_registration",
        registration.id,
        after={
            "visit_id": visit.id,
            "uuid": uuid,
            "date": visited.isoformat(),
            "progress": visit.progress,
            "value_vnd": visit.total_value_vnd,
            "photos": photos,
        },
    )
    _announce(session, [registration])
    return visit


# ----------------------------------------------------------------------------- assignments


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
    homes = repository.households_by_id(session, [r.household_id for r in wanting])
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
        raise _missing(f"proposal {proposal_id}")
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


def _check_officers(
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
            raise _missing(f"helping officer {officer_id}")
        if not officer.active:
            raise _invalid(f"helping officer {officer_id} is not active")
        if (
            require_hamlet
            and officer.hamlet_ids
            and registration.hamlet_id not in officer.hamlet_ids
        ):
            raise _invalid(
                f"helping officer {officer_id} is not responsible for the household's hamlet"
            )
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
    """Raise CONFLICT when an officer helps more households of ``year`` than their capacity."""
    loads = repository.officer_loads(session, officer_ids, year)
    for officer_id, officer in repository.officers_by_id(session, officer_ids).items():
        if loads.get(officer_id, 0) > officer.capacity:
            raise RasoatError(
                ErrorCode.CONFLICT,
                problem=f"helping officer {officer_id} would help {loads[officer_id]} "
                f"households, over the capacity of {officer.capacity}",
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
        raise _invalid("a registration is changed twice")
    proposal = repository.proposal(session, proposal_id, lock=True)
    if proposal is None:
        raise _missing(f"proposal {proposal_id}")
    commune_for(session, principal, Permission.MANAGE_SUPPORT, proposal.commune_id)
    if proposal.status != "open":
        raise RasoatError(
            ErrorCode.CONFLICT, problem=f"proposal {proposal_id} is {proposal.status}"
        )
    proposed: dict[int, dict[int, dict[str, Any] | None]] = defaultdict(dict)
    for pick in proposal.picks:
        proposed[pick["registration_id"]][pick["officer_id"]] = pick["explanation"]
    unknown = sorted(
        set(changes) - set(proposed) - {u["registration_id"] for u in proposal.unassigned}
    )
    if unknown:
        raise _invalid(f"registrations {unknown} are not in the proposal")
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
            _check_officers(session, registration, chosen, proposal.commune_id, require_hamlet)
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
    _announce(session, touched)
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
        raise RasoatError(
            ErrorCode.CONFLICT, problem=f"registration {registration_id} is withdrawn"
        )
    hamlet = geography.hamlet(session, registration.hamlet_id)
    assert hamlet is not None
    chosen = sorted(set(officer_ids))
    _check_officers(session, registration, chosen, hamlet.commune_id, require_hamlet=False)
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
    _announce(session, [registration])
    return repository.active_assignments(session, [registration.id]).get(registration.id, [])


# ----------------------------------------------------------------------------- plans


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


def _action_record(action: PlanAction) -> dict[str, Any]:
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
        raise _invalid(f"unknown source of funds {data.funding_source}")
    if data.organisation is not None and data.organisation not in words.organisations:
        raise _invalid(f"unknown organisation {data.organisation}")
    if data.officer_id is not None:
        hamlet = geography.hamlet(session, registration.hamlet_id)
        assert hamlet is not None
        _check_officers(session, registration, [data.officer_id], hamlet.commune_id, False)
    if data.status == "done" and data.actual_date is None:
        raise _invalid("a done action needs its actual date")


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
        after={"action_id": action.id, **_action_record(action)},
    )
    _announce(session, [registration])
    return action


def update_action(
    session: Session, principal: Principal, actor: Actor, action_id: int, data: ActionData
) -> PlanAction:
    """Replace an action of a support plan (its status, dates, value…)."""
    action = repository.action(session, action_id)
    if action is None:
        raise _missing(f"plan action {action_id}")
    registration = registration_for(
        session, principal, Permission.MANAGE_SUPPORT, action.registration_id
    )
    _check_action(session, registration, data)
    before = _action_record(action)
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
        after={"action_id": action.id, **_action_record(action)},
    )
    _announce(session, [registration])
    return action


# ----------------------------------------------------------------------------- progress


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
    """Return each registration's standing; the engine is re-run on the household's latest
    survey, or the standing classification is used when it has none."""
    require(principal, Permission.READ_REGISTRY)
    ids = [r.id for r in registrations]
    household_ids = [r.household_id for r in registrations]
    homes = repository.households_by_id(session, household_ids)
    documents = repository.latest_documents(session, household_ids)
    standing = repository.standing_classifications(session, household_ids)
    held = repository.active_assignments(session, ids)
    visits = repository.visits(session, ids)
    actions = repository.actions(session, ids)
    found = []
    for registration in registrations:
        submission = documents.get(registration.household_id)
        if submission is not None:
            result = classify(parse_household(submission.household_document))
            predicted: str = result.household_class
            remaining = list(result.deprived)
            complete, source = result.complete, "latest_survey"
        else:
            stored = standing.get(registration.household_id)
            predicted = stored.household_class if stored else "undetermined"
            remaining = list(stored.deprived) if stored else []
            complete = bool(stored and stored.complete)
            source = "standing_class"
        officers = sorted(a.officer_id for a in held.get(registration.id, []))
        own_visits = visits.get(registration.id, [])
        own_actions = actions.get(registration.id, [])
        found.append(
            Standing(
                registration=registration,
                household=homes[registration.household_id],
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


# ----------------------------------------------------------------------------- sync


def sync_items(
    session: Session, keys: list[str], hamlets: set[int]
) -> dict[str, dict[str, Any] | None]:
    """Return what a device pulls for each changed registration: the household's registration
    and its officers (the officers' tablets find their own by ``user_id``); None when it was
    withdrawn or its hamlet is not the device's."""
    found = repository.registrations_by_id(session, [int(k) for k in keys])
    held = repository.active_assignments(session, list(found))
    officers = repository.officers_by_id(session, {a.officer_id for v in held.values() for a in v})
    actions = repository.actions(session, list(found))
    items: dict[str, dict[str, Any] | None] = {}
    for key in keys:
        registration = found.get(int(key))
        if registration is None or registration.status == "withdrawn":
            items[key] = None
            continue
        if registration.hamlet_id not in hamlets:
            items[key] = None
            continue
        items[key] = {
            "household_id": registration.household_id,
            "hamlet_id": registration.hamlet_id,
            "year": registration.year,
            "status": registration.status,
            "starting_class": registration.starting_class,
            "target_date": registration.target_date.isoformat(),
            "needs": registration.needs,
            "deprivations": registration.deprivations,
            "officers": [
                {
                    "officer_id": a.officer_id,
                    "full_name": officers[a.officer_id].full_name,
                    "organisation": officers[a.officer_id].organisation,
                    "user_id": officers[a.officer_id].user_id,
                }
                for a in held.get(registration.id, [])
            ],
            "plan": [{"id": a.id, **_action_record(a)} for a in actions.get(registration.id, [])],
        }
    return items
