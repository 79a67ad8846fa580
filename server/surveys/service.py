"""Receiving a survey: validate with the form, classify with the standard, keep everything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.geography import repository as geography
from server.geography.models import Hamlet
from server.households import repository as households_repository
from server.households import service as households
from server.households.models import Classification, Household
from server.storable import unstorable
from server.surveys import forms, geofence, repository
from server.surveys.geofence import Geofence
from server.surveys.models import GeofenceFlag, Survey
from server.surveys.schemas import Location, PhotoRef
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.standard import Standard

StandardFor = Callable[[Session, int, int], Standard | None]
"""Return the standard a survey of the household (id) in the reference year is classified
under, None for the one in force on its reference date. Rounds decide it (a survey for a round
is classified under the standard of the list the round makes) and sit above surveys, so the
app hands it in (``server.review.service.standard_for_survey``)."""


@dataclass(frozen=True)
class Received:
    """A stored survey; ``household_class`` is the engine's class (a code, in no language),
    taken from its result or its classification row, never read back from rendered text."""

    survey: Survey
    household: Household
    classification: Classification
    warnings: list[dict[str, Any]]
    replayed: bool
    household_class: str | None
    geofence: Geofence | None = None


@dataclass(frozen=True)
class Incoming:
    """A survey as received, before it is checked and stored."""

    uuid: str
    household_id: int
    form_id: str
    form_version: int
    answers: dict[str, Any]
    meta: dict[str, Any]
    started_at: datetime | None
    completed_at: datetime | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    photos: list[dict[str, Any]]


class Filled(Protocol):
    """A survey as a client sends it: to ``POST /surveys`` or in a sync push."""

    @property
    def household_id(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def form_version(self) -> int: ...
    @property
    def answers(self) -> dict[str, Any]: ...
    @property
    def meta(self) -> dict[str, Any]: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def location(self) -> Location | None: ...
    @property
    def photos(self) -> list[PhotoRef]: ...


def survey_of(uuid: str, filled: Filled) -> Incoming:
    """Return the survey a client sent under ``uuid``."""
    location = filled.location
    return Incoming(
        uuid=uuid,
        household_id=filled.household_id,
        form_id=filled.form_id,
        form_version=filled.form_version,
        answers=filled.answers,
        meta=filled.meta,
        started_at=filled.started_at,
        completed_at=filled.completed_at,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        accuracy_m=location.accuracy_m if location else None,
        photos=[photo.model_dump() for photo in filled.photos],
    )


def _same_as(stored: Survey, incoming: Incoming, principal: Principal) -> bool:
    return (
        stored.household_id == incoming.household_id
        and stored.enumerator_id == principal.user_id
        and stored.form_id == incoming.form_id
        and stored.form_version == str(incoming.form_version)
    )


def submit(
    session: Session,
    principal: Principal,
    actor: Actor,
    incoming: Incoming,
    standard_for: StandardFor,
) -> Received:
    """Store the survey and the household's new classification for the reference year, and
    return them. A resent survey (same id) returns what was stored the first time."""
    household = households.household_for(
        session, principal, Permission.SUBMIT_SURVEYS, incoming.household_id
    )
    problem = unstorable({"answers": incoming.answers, "meta": incoming.meta})
    if problem is not None:
        raise problem
    stored = repository.by_uuid(session, incoming.uuid)
    if stored is not None:
        if not _same_as(stored, incoming, principal):
            raise RasoatError(ErrorCode.CONFLICT, problem=f"survey {incoming.uuid} exists")
        fence = _fence(geography.hamlet(session, household.hamlet_id), incoming)
        classification = classification_of(session, stored)
        return Received(
            stored, household, classification, [], True, classification.household_class, fence
        )
    checked = forms.check(incoming.form_id, incoming.form_version, incoming.answers, incoming.meta)
    document = checked.document
    hamlet = geography.hamlet(session, household.hamlet_id)
    assert hamlet is not None
    if document.get("household_id") != household.code:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST,
            problem=f"the answers describe household {document.get('household_id')}, "
            f"not {household.code}",
        )
    if document.get("area") != hamlet.area:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST,
            problem=f"area {document.get('area')} differs from the hamlet's ({hamlet.area})",
        )
    parsed = parse_household(document)
    # A survey for a round is classified under the standard of the list the round makes.
    standard = standard_for(session, household.id, parsed.reference_date.year)
    result = classify(parsed, standard=standard)
    survey = Survey(
        uuid=incoming.uuid,
        household_id=household.id,
        form_id=incoming.form_id,
        form_version=str(incoming.form_version),
        answers=checked.answers,
        household_document=document,
        enumerator_id=principal.user_id,
        device_id=principal.device_id,
        started_at=incoming.started_at,
        completed_at=incoming.completed_at,
        latitude=incoming.latitude,
        longitude=incoming.longitude,
        accuracy_m=incoming.accuracy_m,
        photos=incoming.photos,
    )
    repository.add(session, survey)
    record(
        session,
        actor,
        "submit",
        "survey",
        survey.id,
        after={
            "uuid": incoming.uuid,
            "household_id": household.id,
            "form": incoming.form_id,
            "version": incoming.form_version,
            "class": result.household_class,
        },
    )
    classification = households.record_classification(
        session, actor, household, result, parsed.reference_date.year, "survey", survey.id
    )
    households.record_survey_facts(
        session, actor, household, households.SurveyFacts(**forms.survey_facts(checked))
    )
    fence = _fence(hamlet, incoming)
    if fence is not None and fence.flagged:
        # Flagged for the reviewer, never rejected: GPS in hamlets is often poor.
        repository.add(
            session,
            GeofenceFlag(
                survey_id=survey.id,
                hamlet_id=hamlet.id,
                distance_m=fence.distance_m,
                accuracy_m=incoming.accuracy_m,
            ),
        )
    return Received(
        survey,
        household,
        classification,
        checked.warnings,
        False,
        result.household_class,
        fence,
    )


def _fence(hamlet: Hamlet | None, incoming: Incoming) -> Geofence | None:
    """Return where the survey's GPS point lies against its hamlet's boundary, or None when
    either is missing."""
    if (
        hamlet is None
        or not hamlet.boundary
        or incoming.latitude is None
        or incoming.longitude is None
    ):
        return None
    return geofence.check(
        hamlet.boundary, incoming.latitude, incoming.longitude, incoming.accuracy_m
    )


def classification_of(session: Session, survey: Survey) -> Classification:
    """Return the classification a survey produced: every survey is classified when it is
    received, and its result is kept there only."""
    found = next(
        (
            c
            for c in households_repository.history(session, survey.household_id)
            if c.survey_id == survey.id
        ),
        None,
    )
    assert found is not None, f"survey {survey.id} has no classification"
    return found


def survey_for(session: Session, principal: Principal, survey_id: int) -> Survey:
    """Return a survey of a household the principal may read."""
    survey = repository.survey(session, survey_id)
    if survey is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"survey {survey_id}")
    households.household_for(session, principal, Permission.READ_REGISTRY, survey.household_id)
    return survey
