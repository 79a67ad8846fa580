"""The self-check's rules: which standard an application made today is judged by, and how a
household's answers become an application in its commune's round. Never commits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.audit.service import Actor
from server.auth.policy import Principal, Role, Scope, ScopeKind
from server.geography.models import Commune, Hamlet
from server.households.service import MemberData, register_household
from server.review import repository as review_repository
from server.review.models import Case, Round
from server.review.service.rounds import add_applicant
from server.selfcheck import repository
from server.selfcheck.models import SelfCheckApplication
from shared.engine import Classification, classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.review.procedures import ProcedureKind, procedure
from shared.standard import Standard
from shared.standards import load_catalog

# Who lists a household that applied from the page: the page itself, named in the audit log.
SELF_CHECK = Actor(None, "tu-danh-gia")
# Form 01 asks to be reviewed as poor or near-poor: the annual and the monthly review take it.
_ROUNDS_FOR_FORM_01 = (ProcedureKind.ANNUAL.value, ProcedureKind.MONTHLY.value)
_PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def list_year_of_application(today: date) -> int:
    """Return the year of the list an application made ``today`` would enter.

    Inside the annual review's window (1 September – 14 December, shared/review/procedures.yaml)
    the commune is making next year's list (Decision 24/2021, Art. 4); outside it, a monthly
    review amends this year's list (Art. 5–6). docs/standard.md, "The standard of a round".
    """
    annual = procedure(ProcedureKind.ANNUAL)
    first, last = annual.default_period(today.year)
    return annual.list_year(today.year) if first <= today <= last else today.year


def standard_for_application(today: date) -> tuple[Standard, int]:
    """Return the standard an application made ``today`` is judged by, and its list's year."""
    year = list_year_of_application(today)
    return load_catalog().for_list_year(year), year


def check(document: dict[str, Any], standard: Standard) -> Classification:
    """Return the engine's classification of the household under ``standard`` (the same
    ``classify`` as ``rasoat classify``); raise INVALID_HOUSEHOLD for answers it refuses."""
    return classify(parse_household(document), standard=standard)


@dataclass(frozen=True)
class Sending:
    """What a household sends with its answers to apply."""

    hamlet_id: int
    phone: str
    head_name: str
    address: str
    consent: bool


def phone_number(text: str) -> str | None:
    """Return the phone number written in ``text`` without spaces, dots or dashes, or None
    when it is not a Vietnamese phone number."""
    digits = re.sub(r"[\s.\-]", "", text)
    return digits if _PHONE.match(digits) else None


def _open_round(session: Session, commune: Commune, today: date) -> Round:
    scope = Scope(ScopeKind.COMMUNE, province_id=commune.province_id, commune_id=commune.id)
    rounds = [
        round_
        for round_ in review_repository.rounds_in(session, scope)
        if round_.status == "open"
        and round_.procedure in _ROUNDS_FOR_FORM_01
        and round_.starts_on <= today <= round_.ends_on
    ]
    if not rounds:
        raise RasoatError(ErrorCode.NO_OPEN_ROUND, commune=commune.name)
    return max(rounds, key=lambda round_: round_.starts_on)


def _intake(commune: Commune) -> Principal:
    """Return the principal the page lists an applicant as: the commune's intake, with the
    commune officer's right to list applicants and no scope beyond the chosen commune."""
    scope = Scope(ScopeKind.COMMUNE, province_id=commune.province_id, commune_id=commune.id)
    return Principal(
        user_id=0, username=SELF_CHECK.name, role=Role.COMMUNE_OFFICER, scope=scope, device_id=0
    )


def _members(document: dict[str, Any], names: list[str]) -> list[MemberData]:
    members = []
    for member, name in zip(document["members"], names, strict=True):
        born = member.get("birth_date")
        members.append(
            MemberData(
                member_no=member["member_id"],
                full_name=name or f"Thành viên {member['member_id']}",
                birth_date=date.fromisoformat(born) if born else None,
                sex=member.get("sex"),
                relation=member.get("relation"),
            )
        )
    return members


def send(
    session: Session,
    sending: Sending,
    document: dict[str, Any],
    result: dict[str, Any],
    names: list[str],
    today: date,
) -> Case:
    """Register the household in its hamlet and list it as an applicant (Form 01) in its
    commune's open review, through the review service; keep the phone and the answers.

    Raises INVALID_REQUEST without consent, NOT_FOUND for an unknown hamlet and NO_OPEN_ROUND
    when the commune runs no annual or monthly review today."""
    if not sending.consent:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="consent")
    hamlet: Hamlet | None = repository.hamlet(session, sending.hamlet_id)
    if hamlet is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {sending.hamlet_id}")
    commune = repository.commune_of(session, hamlet)
    round_ = _open_round(session, commune, today)
    household = register_household(
        session,
        SELF_CHECK,
        hamlet,
        repository.next_code(session, commune.id),
        sending.head_name,
        sending.address,
        members=_members(document, names),
    )
    case = add_applicant(session, _intake(commune), SELF_CHECK, round_.id, household.id, "form01")
    repository.add(
        session,
        SelfCheckApplication(case_id=case.id, phone=sending.phone, answers=document, result=result),
    )
    return case
