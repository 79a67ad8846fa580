"""The paths a household edit addresses, on the tablet and the server alike (docs/sync.md):
``head_name``, ``address``, ``latitude``, ``longitude``, ``members/<no>`` (a whole member, None
removes it) and ``members/<no>/<field>``. A document is the household in that shape:
its fields, and ``members`` by member number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import ErrorCode, RasoatError

HOUSEHOLD_FIELDS = ("head_name", "address", "latitude", "longitude")
# The facts Decision 24/2021's forms ask of each member (the registry's revision 0017), by the
# registry's names; household_review 3 collects them and a correction on the tablet edits them.
MEMBER_FACTS = (
    "national_id",
    "national_id_issued_on",
    "national_id_issued_by",
    "ethnicity",
    "permanent_residence",
    "current_residence",
    "activity",
    "no_labour_capacity",
    "monthly_social_allowance_vnd",
    "revolutionary_merit",
)
MEMBER_FIELDS = ("full_name", "birth_date", "sex", "relation", *MEMBER_FACTS)
# The facts rasoat.household/1 names otherwise: the number is the citizen's identity number
# there (shared.household.Member), the registry's column kept its older name.
DOCUMENT_NAMES = {
    "national_id": "citizen_id",
    "national_id_issued_on": "citizen_id_issued_on",
    "national_id_issued_by": "citizen_id_issued_by",
}


def member_facts(member: Mapping[str, Any]) -> dict[str, Any]:
    """Return the facts a member of a ``rasoat.household/1`` document records, by the
    registry's names (those it does not record are left out)."""
    found = {}
    for name in MEMBER_FACTS:
        value = member.get(DOCUMENT_NAMES.get(name, name))
        if value is not None:
            found[name] = value
    return found


def split(path: str) -> list[str]:
    """Return the parts of ``path``; raise INVALID_REQUEST for a path no edit may address."""
    parts = path.split("/")
    valid = (len(parts) == 1 and parts[0] in HOUSEHOLD_FIELDS) or (
        parts[0] == "members"
        and len(parts) in (2, 3)
        and bool(parts[1])
        and (len(parts) == 2 or parts[2] in MEMBER_FIELDS)
    )
    if not valid:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"unknown field path {path}")
    return parts


def value_at(document: dict[str, Any], path: str) -> Any:
    """Return the value at ``path`` of a household document (None when absent)."""
    value: Any = document
    for part in split(path):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def set_at(document: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` of a household document; a member field of an absent member is ignored."""
    parts = split(path)
    if len(parts) == 1:
        document[parts[0]] = value
    elif len(parts) == 2:
        if value is None:
            document["members"].pop(parts[1], None)
        else:
            document["members"][parts[1]] = {k: value.get(k) for k in MEMBER_FIELDS}
    elif parts[1] in document["members"]:
        document["members"][parts[1]][parts[2]] = value
