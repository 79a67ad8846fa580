"""The forms the tablet fills and what it writes in them before the user starts: what the
tablet already knows (the household, its hamlet, the user, today) is never typed twice.

Pure: the prefills take the household, hamlet and user and return answers; the store and the
form screen do the rest."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from mobile.store.records import Hamlet, Household
from shared.household_paths import DOCUMENT_NAMES, MEMBER_FACTS
from shared.vocabulary import ON_LISTS

REVIEW_FORM = "household_review"
EXIT_REGISTRATION_FORM = "exit_registration"
VISIT_FORM = "support_visit"
SUPPORT_FORMS = (EXIT_REGISTRATION_FORM, VISIT_FORM)
# A registration is for a household that stands poor or near-poor (the server checks again).


# What a member's row starts with: what the household record knows, each where the form asks
# it (the member's number and facts from household_review 3 on; a fact under the name the
# household document gives it). Their status since last year is left for the enumerator to
# confirm.
PRELOADED = {
    key: DOCUMENT_NAMES.get(key, key)
    for key in ("member_no", "full_name", "birth_date", "sex", "relation", *MEMBER_FACTS)
}
# A number the user's role may not see arrives masked (server.households.service) and is
# never written into a form.
_MASK = "•"


def last_year(member: dict[str, Any], questions: Collection[str]) -> dict[str, Any]:
    """Return a roster row for a member of the household as last recorded, answering only
    the roster's ``questions``."""
    row = {}
    for key, question in PRELOADED.items():
        value = member.get(key)
        if question not in questions or value in (None, "") or _MASK in str(value):
            continue
        row[question] = value
    return row


def prefill(
    form_id: str,
    household: Household | None,
    hamlet: Hamlet | None,
    full_name: str,
    today: date,
    indicators: frozenset[str] = frozenset(),
    roster: Collection[str] = (),
) -> dict[str, Any]:
    """Return the answers a new ``form_id`` starts with. ``indicators`` are the values the
    registration's deprivation question accepts; ``roster`` holds the questions of the
    review's roster when it starts from the household's members, each to be confirmed
    (household_review 2 and later), and is empty when it does not."""
    answers: dict[str, Any] = {}
    code = household.code if household else None
    if form_id == REVIEW_FORM:
        answers["reference_date"] = today.isoformat()
        answers["enumerator"] = full_name
        if household is not None:
            answers["household_id"] = household.code
            answers["head_name"] = household.head_name
            if household.address:
                answers["address"] = household.address
            if roster and household.members:
                answers["members"] = [last_year(member, roster) for member in household.members]
        if hamlet is not None:
            answers["hamlet"] = hamlet.name
            if hamlet.commune:
                answers["commune"] = hamlet.commune
            answers["area"] = hamlet.area
    elif form_id == EXIT_REGISTRATION_FORM:
        answers["registration_year"] = today.year
        answers["registration_date"] = today.isoformat()
        answers["registered_by"] = full_name
        if hamlet is not None:
            answers["hamlet"] = hamlet.name
        if household is not None:
            answers["household_id"] = code
            answers["head_name"] = household.head_name
            if household.household_class in ON_LISTS:
                answers["current_status"] = household.household_class
            deprived = [
                name
                for name, found in ((household.latest or {}).get("indicators") or {}).items()
                if found.get("status") == "deprived" and name in indicators
            ]
            if deprived:
                answers["deprivations"] = deprived
    elif form_id == VISIT_FORM:
        answers["visit_date"] = today.isoformat()
        answers["helping_officer"] = full_name
        if household is not None:
            answers["household_id"] = code
    return answers
