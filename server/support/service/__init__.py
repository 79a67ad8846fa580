"""Rules of exiting poverty: who may register, confirm, assign and visit; proposals from the
optimiser; support plans; and progress from the engine re-run on each household's latest data.

Never commits: the request's session does. Every change is audited, and every change of a
registration or its officers enters the sync change sequence in the household's hamlet stream,
so the tablets working there (the officers' among them) receive it on their next pull.

The service in modules named for what they hold; every public name is re-exported here, so
callers write ``service.accept`` whichever module holds it."""

from __future__ import annotations

from server.support.service.access import (
    REGISTRATION_FORM,
    STAGES,
    SUPPORT_FORMS,
    VISIT_FORM,
    commune_for,
    registration_for,
)
from server.support.service.assignments import (
    decide,
    override,
    proposal_for,
    propose,
)
from server.support.service.forms import (
    FormRecord,
    Received,
    receive_form,
    record_visit,
)
from server.support.service.officers import (
    OfficerData,
    create_officer,
    list_officers,
    update_officer,
)
from server.support.service.plans import (
    ActionData,
    add_action,
    suggested_plan,
    update_action,
)
from server.support.service.progress import (
    Parts,
    Progress,
    Standing,
    Tally,
    parts_of,
    progress,
    standings,
)
from server.support.service.pull import (
    sync_items,
)
from server.support.service.registrations import (
    HamletCount,
    RegistrationData,
    hamlet_counts,
    list_registrations,
    register,
    set_status,
    set_target,
)

__all__ = [
    "REGISTRATION_FORM",
    "STAGES",
    "SUPPORT_FORMS",
    "VISIT_FORM",
    "ActionData",
    "FormRecord",
    "HamletCount",
    "OfficerData",
    "Parts",
    "Progress",
    "Received",
    "RegistrationData",
    "Standing",
    "Tally",
    "add_action",
    "commune_for",
    "create_officer",
    "decide",
    "hamlet_counts",
    "list_officers",
    "list_registrations",
    "override",
    "parts_of",
    "progress",
    "proposal_for",
    "propose",
    "receive_form",
    "record_visit",
    "register",
    "registration_for",
    "set_status",
    "set_target",
    "standings",
    "suggested_plan",
    "sync_items",
    "update_action",
    "update_officer",
]
