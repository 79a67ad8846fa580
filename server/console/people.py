"""People: the users inside the viewer's scope, for those who manage users; disable or enable
an account, reset its password, end its sessions (the auth service's own functions)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from server.auth import service
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.service import actor_of
from server.console.home import current_round
from server.console.i18n import N_
from server.console.rendering import ConsoleRoute, gettext, page, redirect, translate
from server.console.session import Actor, Looker
from server.db import DbSession, utcnow
from server.geography import service as geography
from server.ids import PathId
from shared.errors import ErrorCode, RasoatError

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
# Made in the console: the commune's own people. Province staff and administrators are few
# and made with ``rasoat admin``.
HAMLET_ROLES = (Role.ENUMERATOR, Role.HAMLET_HEAD, Role.HELPING_OFFICER)
COMMUNE_ROLES = (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)


@router.get("/people")
def people(request: Request, session: DbSession, viewer: Looker) -> Response:
    """The users inside the viewer's scope."""
    principal = viewer.principal
    users = service.visible_users(session, principal)
    tr = gettext(request)
    round_ = current_round(session, viewer)
    hamlets = geography.visible_hamlets(session, principal, None)
    return page(
        request,
        viewer,
        "people.html",
        {
            "users": sorted(users, key=lambda u: u.username),
            "role_names": {role: tr(name) for role, name in ROLE_NAMES.items()},
            "nav_rounds": [round_] if round_ else [],
            "hamlets": sorted(hamlets, key=lambda h: (h.commune_id, h.name)),
            "communes": geography.visible_communes(session, principal),
            "hamlet_roles": [r.value for r in HAMLET_ROLES],
            "new_roles": [r.value for r in (*HAMLET_ROLES, *COMMUNE_ROLES)],
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


@router.post("/people")
def create(
    request: Request,
    session: DbSession,
    viewer: Actor,
    username: Annotated[str, Form(min_length=3, max_length=64, pattern=r"^[a-z0-9_.-]+$")],
    full_name: Annotated[str, Form(min_length=1, max_length=200)],
    password: Annotated[str, Form(max_length=256)],
    role: Annotated[Role, Form()],
    hamlet_ids: Annotated[list[int] | None, Form()] = None,
    commune_id: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    """Create a user of a commune in the viewer's scope: one who works in hamlets gets the
    chosen hamlets, a commune officer or chair the chosen commune. Province staff are not
    created here."""
    principal = viewer.principal
    if role in HAMLET_ROLES:
        scope = Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset(hamlet_ids or ()))
    elif role in COMMUNE_ROLES:
        chosen = commune_id if commune_id is not None else principal.scope.commune_id
        scope = Scope(ScopeKind.COMMUNE, commune_id=chosen)
    else:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem=f"a {role.value} is not made here")
    security = request.app.state.security
    service.create_user_as(session, security, principal, username, full_name, password, role, scope)
    return redirect(request, viewer, "/people", translate(request, "Account created"))


@router.post("/people/{user_id}/hamlets")
def assign_hamlets(
    user_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    hamlet_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Give an enumerator (or another user who works in hamlets) these hamlets."""
    principal = viewer.principal
    user = service.managed_user(session, principal, user_id)
    service.assign_hamlets(session, principal, user, frozenset(hamlet_ids or ()))
    return redirect(request, viewer, "/people", translate(request, "Hamlets assigned"))
