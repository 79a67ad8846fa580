"""The exit-registration and support-visit forms the tablets send: received once by their uuid,
checked against the shipped form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.households import repository as households
from server.households.models import Household
from server.support import repository
from server.support.models import (
    Visit,
)
from server.support.service.access import (
    REGISTRATION_FORM,
    SUPPORT_FORMS,
    announce,
    hamlet_for,
    missing,
)
from server.support.service.registrations import RegistrationData, register
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.forms.validate import check_answers


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
        raise missing(f"household {form.household_id}")
    registering = form.form_id == REGISTRATION_FORM
    permission = Permission.REGISTER_EXITS if registering else Permission.RECORD_VISITS
    hamlet_for(session, principal, permission, household.hamlet_id)
    if registering:
        stored = repository.registration_by_uuid(session, form.uuid)
        if stored is not None:
            if stored.household_id != household.id:
                raise RasoatError(ErrorCode.FORM_UUID_TAKEN, uuid=form.uuid)
            return Received("registration", stored.id, True, stored.id)
    else:
        visit = repository.visit_by_uuid(session, form.uuid)
        if visit is not None:
            if visit.user_id != principal.user_id:
                raise RasoatError(ErrorCode.FORM_UUID_TAKEN, uuid=form.uuid)
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
        raise RasoatError(
            ErrorCode.ANSWERS_OTHER_HOUSEHOLD,
            answered=answers.get("household_id"),
            household=household.code,
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
                survey_uuid=form.uuid,
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
    hamlet_for(session, principal, Permission.RECORD_VISITS, household.hamlet_id)
    visited = date.fromisoformat(answers["visit_date"])
    registration = repository.registration_of(session, household.id, visited.year)
    if registration is None or registration.status == "withdrawn":
        raise missing(f"registration of household {household.code} for {visited.year}")
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
    announce(session, [registration])
    return visit
