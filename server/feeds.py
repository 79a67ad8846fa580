"""What each domain offers the tablets through sync, composed once when the app is built
(``create_app``): the readers of the entities review and support enter in the change
sequence, the receivers of pushed surveys, and the standard a survey is classified under.
Sync imports none of these domains; this module, beside the app, is the one place that knows
them all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor
from server.auth.policy import Principal
from server.review import service as review
from server.support import service as support
from server.surveys import service as surveys
from server.sync.ports import Domains, Receipt
from server.sync.schemas import SurveyPush


def _review_cases(
    session: Session, keys: list[str], hamlets: set[int]
) -> Mapping[str, dict[str, Any] | None]:
    documents = review.case_documents(session, keys)
    found: dict[str, dict[str, Any] | None] = {}
    for key in keys:
        case = documents.get(int(key))
        found[key] = case if case is not None and case["hamlet_id"] in hamlets else None
    return found


def _survey(session: Session, principal: Principal, actor: Actor, pushed: SurveyPush) -> Receipt:
    received = surveys.submit(
        session,
        principal,
        actor,
        surveys.survey_of(str(pushed.id), pushed),
        review.standard_for_survey,
    )
    return Receipt(
        replayed=received.replayed,
        household_id=received.household.id,
        survey_id=received.survey.id,
        household_class=received.household_class,
        geofence=None if received.geofence is None else received.geofence.to_dict(),
    )


def _support_form(
    session: Session, principal: Principal, actor: Actor, pushed: SurveyPush
) -> Receipt:
    """An exit registration or a support visit: kept by the support domain, not classified."""
    received = support.receive_form(
        session,
        principal,
        actor,
        support.FormRecord(
            uuid=str(pushed.id),
            household_id=pushed.household_id,
            form_id=pushed.form_id,
            form_version=pushed.form_version,
            answers=pushed.answers,
            meta=pushed.meta,
        ),
    )
    return Receipt(replayed=received.replayed, household_id=pushed.household_id)


def survey_standard() -> surveys.StandardFor:
    """Return what tells the standard a survey is classified under (the review round's list,
    when its household is in an open round): surveys sit below review and take it from here."""
    return review.standard_for_survey


def sync_domains() -> Domains:
    """Return what sync reads and hands over for the domains."""
    return Domains(
        readers={"review_case": _review_cases, "support": support.sync_items},
        surveys=_survey,
        forms=dict.fromkeys(support.SUPPORT_FORMS, _support_form),
    )
