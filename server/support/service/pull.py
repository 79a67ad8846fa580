"""What a hamlet's tablets pull of exiting poverty: each registration with its plan and visits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.support import repository
from server.support.service.plans import action_record


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
            "plan": [{"id": a.id, **action_record(a)} for a in actions.get(registration.id, [])],
        }
    return items
