"""Households changed on the tablet, offline: a new household (moved in, or a family that set
up on its own), a split (members move to the new household) and corrections of a household's
details and members. Each becomes a record of the sync outbox (``household.create``,
``household.edit``: the server's edit/merge path, conflicts settled by the commune) and shows
on the tablet at once.

A new household gets a temporary code (``MOI-…``, the server takes any code of its pattern and
the commune may renumber it) and a negative id; its survey can be filled meanwhile. The sync
that registers it answers with the server's id (``adopt_created``), the survey follows, and it
goes with the next sync: a survey names the household by the server's id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from mobile.store.records import Household, UserStore
from mobile.sync.store import DONE, REFUSED, Store
from shared.household_paths import MEMBER_FIELDS

TEMPORARY_PREFIX = "MOI-"


class NotSyncedYet(Exception):
    """The household is not in the sync file yet (never pulled, or waiting for its id): it can
    be changed once a sync has brought it."""


def temporary_code() -> str:
    """Return a code for a household registered on the tablet, unique without a network."""
    return f"{TEMPORARY_PREFIX}{uuid.uuid4().hex[:8].upper()}"


def _member(no: str, person: Mapping[str, Any]) -> dict[str, Any]:
    return {"member_no": no} | {
        k: person[k] for k in MEMBER_FIELDS if person.get(k) not in (None, "")
    }


def numbered(members: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return members numbered 1, 2, … as a new household's roster."""
    return [_member(str(no), person) for no, person in enumerate(members, start=1)]


def create(
    users: UserStore,
    outbox: Store,
    hamlet_id: int,
    head_name: str,
    address: str = "",
    members: Sequence[Mapping[str, Any]] = (),
) -> Household:
    """Register a household on the tablet and queue it; return it (temporary id and code)."""
    roster = numbered(members) or numbered([{"full_name": head_name, "relation": "head"}])
    code = temporary_code()
    record = outbox.create_household(hamlet_id, code, head_name, address=address, members=roster)
    household = Household(
        users.temporary_id(),
        hamlet_id,
        code,
        head_name,
        address,
        members=roster,
        pending_create=record,
    )
    users.save_households([household])
    return household


def edit(users: UserStore, outbox: Store, household_id: int, changes: dict[str, Any]) -> Household:
    """Queue changed details or members of a household (paths ``head_name``, ``address``,
    ``members/<no>`` — None removes the member — and ``members/<no>/<field>``) and show them
    here at once; return the household as it now reads."""
    held = users.household(household_id)
    if held is None or held.temporary or outbox.entity("household", str(household_id)) is None:
        raise NotSyncedYet(household_id)
    outbox.edit_household(household_id, changes)
    members = {str(m.get("member_no", i + 1)): dict(m) for i, m in enumerate(held.members)}
    fields: dict[str, Any] = {}
    for path, value in changes.items():
        parts = path.split("/")
        if len(parts) == 1:
            fields[parts[0]] = value
        elif len(parts) == 2 and value is None:
            members.pop(parts[1], None)
        elif len(parts) == 2:
            members[parts[1]] = _member(parts[1], value)
        elif parts[1] in members:
            members[parts[1]][parts[2]] = value
    changed = replace(held, **fields, members=list(members.values()))
    users.save_households([changed])
    return changed


def split(
    users: UserStore, outbox: Store, household_id: int, member_nos: Sequence[str], address: str = ""
) -> Household:
    """Move the members ``member_nos`` of a household to a new household of the same hamlet,
    headed by the first of them; return the new household."""
    source = users.household(household_id)
    if source is None:
        raise KeyError(household_id)
    moving = [m for m in source.members if str(m.get("member_no")) in member_nos]
    if not moving:
        raise ValueError("no member to move")
    edit(users, outbox, household_id, {f"members/{m['member_no']}": None for m in moving})
    roster = [dict(m) | ({"relation": "head"} if i == 0 else {}) for i, m in enumerate(moving)]
    return create(
        users,
        outbox,
        source.hamlet_id,
        str(moving[0].get("full_name")),
        address or source.address,
        roster,
    )


def adopt_created(users: UserStore, outbox: Store) -> int:
    """Give each household registered here the id the server answered with (its surveys
    follow); a refused one keeps its temporary id and the server's reason as a comment.
    Return how many were adopted."""
    records = {r.id: r for r in outbox.outbox() if r.kind == "household.create"}
    adopted = 0
    for household in users.temporary_households():
        record = records.get(household.pending_create)
        if record is None or record.outcome is None:
            continue
        if record.state == DONE and isinstance(record.outcome.get("household_id"), int):
            server_id = int(record.outcome["household_id"])
            users.adopt(
                household.household_id,
                replace(household, household_id=server_id, pending_create=""),
            )
            adopted += 1
        elif record.state == REFUSED:
            reason = str(record.outcome.get("message") or record.outcome.get("error") or "")
            if reason not in household.comments:
                users.save_households([replace(household, comments=[reason])])
    return adopted
