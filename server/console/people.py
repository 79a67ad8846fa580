"""People: the users inside the viewer's scope, for those who manage users; disable or enable
an account, reset its password, end its sessions (the auth service's own functions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from server.auth import service
from server.auth.service import actor_of
from server.console.home import current_round
from server.console.i18n import N_
from server.console.rendering import ConsoleRoute, gettext, page, redirect, translate
from server.console.session import Actor, Looker
from server.db import DbSession, utcnow
from server.ids import PathId

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

ROLE_NAMES = {
    "enumerator": N_("Enumerator"),
    "hamlet_head": N_("Hamlet head"),
    "helping_officer": N_("Helping officer"),
    "commune_officer": N_("Commune officer"),
    "commune_chair": N_("Commune chair"),
    "province_viewer": N_("Province staff"),
    "admin": N_("Administrator"),
}


@router.get("/people")
def people(request: Request, session: DbSession, viewer: Looker) -> Response:
    """The users inside the viewer's scope."""
    users = service.visible_users(session, viewer.principal)
    tr = gettext(request)
    round_ = current_round(session, viewer)
    return page(
        request,
        viewer,
        "people.html",
        {
            "users": sorted(users, key=lambda u: u.username),
            "role_names": {role: tr(name) for role, name in ROLE_NAMES.items()},
            "nav_rounds": [round_] if round_ else [],
        },
    )


@router.post("/people/{user_id}/active")
def set_active(
    user_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    active: Annotated[bool, Form()],
) -> Response:
    """Disable an account (its sessions end) or enable it again."""
    principal = viewer.principal
    user = service.managed_user(session, principal, user_id)
    service.set_active(session, actor_of(principal), user, active, utcnow())
    message = (
        translate(request, "Account enabled") if active else translate(request, "Account disabled")
    )
    return redirect(request, viewer, "/people", message)


@router.post("/people/{user_id}/password")
def reset_password(
    user_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Set a new password; the user's sessions end."""
    principal = viewer.principal
    user = service.managed_user(session, principal, user_id)
    security = request.app.state.security
    service.reset_password(session, security, actor_of(principal), user, password, utcnow())
    return redirect(request, viewer, "/people", translate(request, "Password reset"))


@router.post("/people/{user_id}/end-sessions")
def end_sessions(user_id: PathId, request: Request, session: DbSession, viewer: Actor) -> Response:
    """Sign the user out everywhere."""
    principal = viewer.principal
    user = service.managed_user(session, principal, user_id)
    service.end_sessions(session, actor_of(principal), user, utcnow())
    return redirect(request, viewer, "/people", translate(request, "Sessions ended"))
