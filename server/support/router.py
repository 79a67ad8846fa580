"""HTTP endpoints of exiting poverty: registrations, helping officers, proposals and
assignments, support plans, visits and progress."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from server.auth.dependencies import Reader, SignedIn, holding
from server.auth.policy import Permission, Principal
from server.auth.service import actor_of
from server.db import DbSession
from server.ids import MAX_ID, PathId, QueryId
from server.support import assign, service
from server.support.models import ExitRegistration
from server.support.schemas import (
    ActionIn,
    ActionOut,
    AssignmentOut,
    DecisionIn,
    FormIn,
    FormOut,
    HamletCountOut,
    OfficerCreate,
    OfficerIn,
    OfficerOut,
    OverrideIn,
    ProgressOut,
    ProposalIn,
    ProposalOut,
    RegistrationDetail,
    RegistrationIn,
    RegistrationOut,
    StandingOut,
    StatusIn,
    SuggestedPlanOut,
    TallyOut,
    TargetIn,
    TargetOut,
    VisitOut,
)
from shared.errors import Lang

router = APIRouter(prefix="/support", tags=["support"])

Registrar = Annotated[Principal, Depends(holding(Permission.REGISTER_EXITS))]
SupportManager = Annotated[Principal, Depends(holding(Permission.MANAGE_SUPPORT))]
YearPath = Annotated[int, Path(ge=2021, le=2100)]
CommuneQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
Year = Annotated[int | None, Query(ge=2021, le=2100)]
Status = Annotated[str | None, Query(pattern="^(registered|confirmed|withdrawn)$")]


def _officer_data(body: OfficerIn) -> service.OfficerData:
    return service.OfficerData(**body.model_dump())


@router.get("/officers", response_model=list[OfficerOut])
def officers(commune_id: CommuneQuery, principal: Reader, session: DbSession) -> list[OfficerOut]:
    """The commune's helping officers: organisation, skills, hamlets, base and capacity."""
    found = service.list_officers(session, principal, commune_id)
    return [OfficerOut.model_validate(o) for o in found]


@router.post("/officers", response_model=OfficerOut, status_code=201)
def create_officer(
    body: OfficerCreate, principal: SupportManager, session: DbSession
) -> OfficerOut:
    """Add a helping officer to the commune's registry."""
    data = service.OfficerData(**body.model_dump(exclude={"commune_id"}))
    officer = service.create_officer(session, principal, actor_of(principal), body.commune_id, data)
    return OfficerOut.model_validate(officer)


@router.put("/officers/{officer_id}", response_model=OfficerOut)
def update_officer(
    officer_id: PathId, body: OfficerIn, principal: SupportManager, session: DbSession
) -> OfficerOut:
    """Replace a helping officer's registry entry."""
    officer = service.update_officer(
        session, principal, actor_of(principal), officer_id, _officer_data(body)
    )
    return OfficerOut.model_validate(officer)


@router.get("/registrations", response_model=list[RegistrationOut])
def registrations(
    principal: Reader,
    session: DbSession,
    commune_id: QueryId = None,
    year: Year = None,
    hamlet_id: QueryId = None,
    status: Status = None,
) -> list[RegistrationOut]:
    """Households registered to exit poverty in your scope."""
    found = service.list_registrations(session, principal, commune_id, year, hamlet_id, status)
    return [RegistrationOut.model_validate(r) for r in found]


@router.post("/registrations", response_model=RegistrationOut, status_code=201)
def register(body: RegistrationIn, principal: Registrar, session: DbSession) -> RegistrationOut:
    """Register a poor or near-poor household of your hamlets to exit poverty this year."""
    registration = service.register(
        session,
        principal,
        actor_of(principal),
        service.RegistrationData(
            household_id=body.household_id,
            year=body.year,
            causes=body.causes,
            needs=[n.model_dump() for n in body.needs],
            target_date=body.target_date,
            officers_needed=body.officers_needed,
        ),
    )
    return RegistrationOut.model_validate(registration)


@router.post("/forms", response_model=FormOut, status_code=201)
def submit_form(
    body: FormIn, principal: SignedIn, session: DbSession, response: Response
) -> FormOut:
    """Receive an exit_registration (hamlet heads) or support_visit (helping officers) form
    filled on a tablet. Resending the same ``survey_uuid`` answers 200."""
    received = service.receive_form(
        session,
        principal,
        actor_of(principal),
        service.FormRecord(
            uuid=str(body.survey_uuid),
            household_id=body.household_id,
            form_id=body.form_id,
            form_version=body.form_version,
            answers=body.answers,
            meta=body.meta,
        ),
    )
    if received.replayed:
        response.status_code = 200
    return FormOut(
        kind="registration" if received.kind == "registration" else "visit",
        id=received.id,
        registration_id=received.registration_id,
        replayed=received.replayed,
    )


@router.post("/registrations/status", response_model=list[RegistrationOut])
def set_status(
    body: StatusIn, principal: SupportManager, session: DbSession
) -> list[RegistrationOut]:
    """Confirm registrations as the commune's list, or withdraw them."""
    found = service.set_status(
        session, principal, actor_of(principal), body.registration_ids, body.status
    )
    return [RegistrationOut.model_validate(r) for r in found]


def _standing(item: service.Standing) -> StandingOut:
    return StandingOut.model_validate(
        {
            "registration_id": item.registration.id,
            "household_id": item.household.id,
            "household_code": item.household.code,
            "hamlet_id": item.registration.hamlet_id,
            "starting_class": item.registration.starting_class,
            "predicted_class": item.predicted_class,
            "remaining_deprivations": item.remaining_deprivations,
            "complete": item.complete,
            "source": item.source,
            "stage": item.stage,
            "officer_ids": item.officer_ids,
            "visits": item.visits,
            "last_progress": item.last_progress,
            "actions": item.actions,
            "actions_done": item.actions_done,
            "path": asdict(item.path),
        }
    )


def _detail(
    session: DbSession, principal: Principal, found: ExitRegistration
) -> RegistrationDetail:
    parts = service.parts_of(session, found)
    standing = service.standings(session, principal, [found])[0]
    return RegistrationDetail(
        **RegistrationOut.model_validate(found).model_dump(),
        assignments=[AssignmentOut.model_validate(a) for a in parts.assignments],
        plan=[ActionOut.model_validate(a) for a in parts.actions],
        visits=[VisitOut.model_validate(v) for v in parts.visits],
        standing=_standing(standing),
    )


@router.get("/registrations/{registration_id}", response_model=RegistrationDetail)
def registration(
    registration_id: PathId, principal: Reader, session: DbSession
) -> RegistrationDetail:
    """One registration: its officers, support plan, visits and where it stands now."""
    found = service.registration_for(session, principal, Permission.READ_REGISTRY, registration_id)
    return _detail(session, principal, found)


@router.get("/registrations/{registration_id}/suggested-plan", response_model=SuggestedPlanOut)
def suggested_plan(
    registration_id: PathId, principal: Reader, session: DbSession, lang: Lang = "vi"
) -> SuggestedPlanOut:
    """The support plan the household's exit path suggests from its latest data: the path's
    actions with their forms of help and the organisations that usually give them, and the
    income gap off the lists, explained in ``lang``. Read-only: the commune officer adds the
    actions it keeps with ``POST /registrations/{id}/actions``."""
    found = service.suggested_plan(session, principal, registration_id, lang)
    return SuggestedPlanOut.model_validate(found)


@router.put("/registrations/{registration_id}/officers", response_model=list[AssignmentOut])
def override(
    registration_id: PathId, body: OverrideIn, principal: SupportManager, session: DbSession
) -> list[AssignmentOut]:
    """Set the household's helping officers by hand (overriding any proposal), with a reason."""
    held = service.override(
        session, principal, actor_of(principal), registration_id, body.officer_ids, body.reason
    )
    return [AssignmentOut.model_validate(a) for a in held]


@router.post("/registrations/{registration_id}/actions", response_model=ActionOut, status_code=201)
def add_action(
    registration_id: PathId, body: ActionIn, principal: SupportManager, session: DbSession
) -> ActionOut:
    """Add an action to the household's support plan."""
    action = service.add_action(
        session,
        principal,
        actor_of(principal),
        registration_id,
        service.ActionData(**body.model_dump()),
    )
    return ActionOut.model_validate(action)


@router.put("/actions/{action_id}", response_model=ActionOut)
def update_action(
    action_id: PathId, body: ActionIn, principal: SupportManager, session: DbSession
) -> ActionOut:
    """Replace an action of a support plan (status, actual date, value…)."""
    action = service.update_action(
        session, principal, actor_of(principal), action_id, service.ActionData(**body.model_dump())
    )
    return ActionOut.model_validate(action)


@router.put("/hamlets/{hamlet_id}/targets/{year}", response_model=TargetOut)
def set_target(
    hamlet_id: PathId, year: YearPath, body: TargetIn, principal: SupportManager, session: DbSession
) -> TargetOut:
    """Set how many households of the hamlet are to exit poverty in ``year``."""
    target = service.set_target(
        session, principal, actor_of(principal), hamlet_id, year, body.households
    )
    return TargetOut(hamlet_id=target.hamlet_id, year=target.year, households=target.households)


@router.get("/communes/{commune_id}/years/{year}/hamlets", response_model=list[HamletCountOut])
def hamlet_counts(
    commune_id: PathId, year: YearPath, principal: Reader, session: DbSession
) -> list[HamletCountOut]:
    """Households registered and confirmed per hamlet against the year's target."""
    found = service.hamlet_counts(session, principal, commune_id, year)
    return [HamletCountOut(**vars(c)) for c in found]


@router.post("/proposals", response_model=ProposalOut, status_code=201)
def propose(body: ProposalIn, principal: SupportManager, session: DbSession) -> ProposalOut:
    """Propose helping officers for the commune's registrations of the year that still need
    them, each pick explained (skills matched, distance, load)."""
    proposal = service.propose(
        session,
        principal,
        actor_of(principal),
        body.commune_id,
        body.year,
        assign.Weights(**body.weights.model_dump()),
    )
    return ProposalOut.model_validate(proposal)


@router.get("/proposals/{proposal_id}", response_model=ProposalOut)
def proposal(proposal_id: PathId, principal: Reader, session: DbSession) -> ProposalOut:
    """One proposal with its parameters, cost and explanations."""
    return ProposalOut.model_validate(service.proposal_for(session, principal, proposal_id))


@router.post("/proposals/{proposal_id}/decision", response_model=ProposalOut)
def decide(
    proposal_id: PathId, body: DecisionIn, principal: SupportManager, session: DbSession
) -> ProposalOut:
    """Accept the proposal as it is, or with the changes given."""
    changes = [(c.registration_id, c.officer_ids) for c in body.changes]
    proposal = service.decide(
        session, principal, actor_of(principal), proposal_id, changes, body.reason
    )
    return ProposalOut.model_validate(proposal)


def _tally(tally: service.Tally) -> TallyOut:
    return TallyOut(
        registered=tally.registered, on_track=tally.on_track, exited=tally.exited, total=tally.total
    )


@router.get("/communes/{commune_id}/years/{year}/progress", response_model=ProgressOut)
def progress(
    commune_id: PathId, year: YearPath, principal: Reader, session: DbSession
) -> ProgressOut:
    """Registered → on track → exited, by hamlet, officer and organisation, with each
    household's class now and the deprivations that remain."""
    report = service.progress(session, principal, commune_id, year)
    return ProgressOut(
        commune_id=commune_id,
        year=year,
        total=_tally(report.total),
        by_hamlet={str(k): _tally(v) for k, v in sorted(report.by_hamlet.items())},
        by_officer={str(k): _tally(v) for k, v in sorted(report.by_officer.items())},
        by_organisation={k: _tally(v) for k, v in sorted(report.by_organisation.items())},
        households=[_standing(s) for s in report.households],
    )
