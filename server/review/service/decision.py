"""The commune chair's decision (Form 02), the classes it makes official, certificates (Form 03)
and the monthly deadline.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal
from server.geography import repository as geography
from server.households.models import Classification
from server.households.service import stand_for_year
from server.review import repository
from server.review.models import (
    Case,
    Round,
)
from server.review.service.access import S, move_case, require_open, round_for, standard_of
from server.review.service.signoffs import require_unlocked
from shared.errors import ErrorCode, RasoatError
from shared.review.procedures import PostingPlace
from shared.review.rules import (
    MIN_REASON_LENGTH,
)
from shared.review.states import Action
from shared.vocabulary import ON_LISTS

# The states a case may be in when the commune decides: posted, re-checked, or withdrawn.
_DECIDABLE = {S.POSTED, S.RECHECKED, S.WITHDRAWN}


def _on_time(round_: Round, day: date, late_reason: str | None) -> str | None:
    """Return the reason a step taken on ``day`` is late (None when it is not); raise
    DECISION_OVERDUE when it is late without a reason. The deadline binds the commune, so a
    late decision is refused by default, yet a household must still get one: the chair may
    take it with a written reason, which is kept."""
    due = round_.decision_due_on
    if due is None or day <= due:
        return None
    reason = (late_reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise RasoatError(
            ErrorCode.DECISION_OVERDUE,
            due_on=due.isoformat(),
            on=day.isoformat(),
            min_length=MIN_REASON_LENGTH,
        )
    return reason


def _check_postings(
    session: Session, round_: Round, deciding: list[Case], decision_date: date
) -> None:
    """Raise unless every deciding case was posted at its hamlet and at the commune office,
    and both postings ended before the decision date (which is not after today)."""
    unposted = [c for c in deciding if c.posting_id is None or c.office_posting_id is None]
    if unposted:
        raise RasoatError(
            ErrorCode.ROUND_NOT_READY,
            count=len(unposted),
            missing=PostingPlace.COMMUNE_OFFICE.value,
            cases=[{"id": c.id, "state": c.state} for c in unposted[:20]],
        )
    postings = {p.id: p for p in repository.postings_of(session, round_.id)}
    used = {i for c in deciding for i in (c.posting_id, c.office_posting_id) if i is not None}
    running = [postings[i] for i in sorted(used) if postings[i].ends_on >= decision_date]
    if running:
        last = max(running, key=lambda p: (p.ends_on, p.id))
        raise RasoatError(
            ErrorCode.POSTING_NOT_ENDED,
            ends_on=last.ends_on.isoformat(),
            place=last.place,
            hamlet_id=last.hamlet_id,
            posting_id=last.id,
        )


def recognise(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    decision_number: str,
    decision_date: date,
    today: date,
    late_reason: str | None = None,
) -> list[Case]:
    """The commune chair's decision: every posted or re-checked case is recognised once its
    postings at the hamlet and the commune office have ended, and its class becomes the
    household's official class of the year. A decision after the round's deadline needs
    ``late_reason``."""
    round_ = round_for(session, principal, Permission.RECOGNISE_LISTS, round_id)
    require_open(round_)
    require_unlocked(session, round_)
    if decision_date > today:
        raise RasoatError(ErrorCode.DECISION_IN_FUTURE)
    cases = repository.cases_of_round(session, round_.id)
    unfinished = [c for c in cases if c.state not in _DECIDABLE]
    if unfinished:
        raise RasoatError(
            ErrorCode.ROUND_NOT_READY,
            count=len(unfinished),
            cases=[{"id": c.id, "state": c.state} for c in unfinished[:20]],
        )
    deciding = [c for c in cases if c.state != S.WITHDRAWN]
    _check_postings(session, round_, deciding, decision_date)
    late = _on_time(round_, decision_date, late_reason)
    round_.status = "recognised"
    round_.decision_number = decision_number
    round_.decision_date = decision_date
    round_.decision_late_reason = late
    round_.recognised_by = actor.user_id
    decided = {"number": decision_number, "date": decision_date.isoformat()}
    for case in deciding:
        move_case(session, actor, case, round_, Action.RECOGNISE, decision=decided)
        _make_official(session, actor, case, round_, decided)
    record(
        session,
        actor,
        "recognise",
        "review_round",
        round_.id,
        after={**decided, "cases": len(deciding), "late_reason": late},
    )
    repository.announce(session, deciding)
    return deciding


def _make_official(
    session: Session, actor: Actor, case: Case, round_: Round, decided: dict[str, str]
) -> None:
    """Add the decided class to the household's history as the year's standing class."""
    if case.final_class is None:
        return
    basis = (
        repository.classifications_by_id(session, [case.classification_id]).get(
            case.classification_id
        )
        if case.classification_id
        else None
    )
    standard = basis.standard_id if basis else standard_of(round_).id
    result = dict(basis.result) if basis else {}
    result["decision"] = {
        **decided,
        "round_id": round_.id,
        "case_id": case.id,
        "engine_class": case.engine_class,
        "overridden": case.overridden,
        "override_reason": case.override_reason,
    }
    row = Classification(
        household_id=case.household_id,
        year=round_.year,
        household_class=case.final_class,
        standard_id=standard,
        complete=basis.complete if basis else True,
        deprived=list(basis.deprived) if basis else [],
        result=result,
        source="decision",
        survey_id=case.survey_id,
        recorded_by=actor.user_id,
    )
    repository.add(session, row)
    stand_for_year(session, actor, row, **decided)


def certify(
    session: Session,
    principal: Principal,
    actor: Actor,
    round_id: int,
    issued_on: date,
    late_reason: str | None = None,
) -> list[Case]:
    """Issue a certificate (Form 03) to every recognised poor or near-poor household of the
    round; one that kept last year's class has its certificate stamped for the year. Past the
    round's deadline (Art. 5 gives the decision and the certificates the same 15 days) they
    are issued only with ``late_reason``, or when the decision itself was taken late."""
    round_ = round_for(session, principal, Permission.RECOGNISE_LISTS, round_id)
    if round_.status != "recognised" or round_.decision_date is None:
        raise RasoatError(ErrorCode.ROUND_NOT_READY, count=0, problem="not recognised yet")
    if issued_on < round_.decision_date:
        raise RasoatError(ErrorCode.CERTIFICATE_BEFORE_DECISION)
    late = _on_time(round_, issued_on, late_reason or round_.decision_late_reason)
    commune = geography.commune(session, round_.commune_id)
    assert commune is not None
    number = repository.certificates_issued(session, round_.year, round_.commune_id)
    issued = []
    for case in repository.cases_of_round(session, round_.id):
        if case.state != S.RECOGNISED or case.final_class not in ON_LISTS:
            continue
        number += 1
        case.certificate_number = f"{number:04d}/{round_.year}/{commune.code}"
        case.certificate_kind = "stamped" if case.previous_class == case.final_class else "issued"
        case.certificate_issued_on = issued_on
        move_case(
            session,
            actor,
            case,
            round_,
            Action.CERTIFY,
            number=case.certificate_number,
            kind=case.certificate_kind,
            issued_on=issued_on,
            late_reason=late,
        )
        issued.append(case)
    repository.announce(session, issued)
    return issued


def decision_overdue(round_: Round, today: date) -> bool:
    """Return True when the round is still open and its decision is past due ``today``."""
    due = round_.decision_due_on
    return round_.status == "open" and due is not None and today > due
