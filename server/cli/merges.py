"""``rasoat admin merge-hamlets``: merge a commune's hamlets, or rename one (issue 20).

Without ``--commit`` the command shows what would change (households, users, boundary) and
writes nothing; with it, the merge is made in one transaction (``server.reorganisation``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from server.cli.admin import OPERATOR, _session, _settings
from server.clock import today
from server.geography import repository as geography
from server.geography.merges import RENAME, MergeRequest
from server.reorganisation import MergePreview, merge, preview
from shared.errors import ErrorCode, RasoatError


def _day(text: str | None) -> date:
    if not text:
        return today()
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise typer.BadParameter("ngày theo dạng dd/mm/yyyy") from None


def _hamlet_ids(session: Session, commune: str, codes: list[str]) -> tuple[int, ...]:
    found = geography.commune_by_code(session, commune)
    if found is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"xã {commune}")
    ids = []
    for code in codes:
        hamlet = geography.hamlet_by_code(session, found.id, code)
        if hamlet is None:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"thôn {code} của xã {commune}")
        ids.append(hamlet.id)
    return tuple(ids)


def show(found: MergePreview) -> None:
    """Print what the merge or rename will change, in Vietnamese."""
    plan = found.plan
    when = plan.effective_on.strftime("%d/%m/%Y")
    if plan.kind == RENAME:
        typer.echo(f"Đổi tên {plan.parts[0].name} thành {plan.name} từ ngày {when}.")
        return
    names = ", ".join(f"{h.name} ({found.households.get(h.id, 0)} hộ)" for h in plan.parts)
    made = f"{plan.name} (giữ {plan.into.name})" if plan.into else f"{plan.name} (thôn mới)"
    typer.echo(f"Gộp {names} thành {made}, mã {plan.code}, từ ngày {when}.")
    typer.echo(f"Hộ chuyển sang thôn mới: {found.moving}; tổng số hộ: {found.total}.")
    typer.echo(
        "Người dùng được giao thôn mới: "
        + (", ".join(u.username for u in plan.users) or "không có")
    )
    boundary = "hợp các ranh giới" if plan.boundary else "chưa có ranh giới"
    if plan.without_boundary and plan.boundary:
        boundary += f" (thiếu ranh giới của {', '.join(plan.without_boundary)})"
    typer.echo(f"Ranh giới: {boundary}.")


def merge_hamlets_command(
    hamlets: Annotated[list[str], typer.Argument(help="hamlet codes (one with --rename)")],
    commune: Annotated[str, typer.Option(help="commune code")],
    name: Annotated[
        str | None, typer.Option(help="name of the merged hamlet, or the new name")
    ] = None,
    into: Annotated[str | None, typer.Option(help="code of the hamlet kept (one of them)")] = None,
    code: Annotated[str | None, typer.Option(help="code of a new merged hamlet")] = None,
    area: Annotated[str | None, typer.Option(help="rural or urban (default: the first's)")] = None,
    on: Annotated[str | None, typer.Option(help="merge date dd/mm/yyyy (default today)")] = None,
    rename: Annotated[bool, typer.Option(help="rename the one hamlet given")] = False,
    commit: Annotated[bool, typer.Option(help="make the change (else only show it)")] = False,
) -> None:
    """Merge two or more hamlets of a commune into one (new, or one of them), or rename one;
    households, users and boundaries follow, and earlier years stay as they were."""
    with _session(_settings()) as session:
        ids = _hamlet_ids(session, commune, hamlets)
        into_id = _hamlet_ids(session, commune, [into])[0] if into else None
        asked = MergeRequest(
            hamlet_ids=ids,
            effective_on=_day(on),
            name=name,
            into_id=into_id,
            code=code,
            area=area,
            rename=rename,
        )
        show(preview(session, None, asked))
        if not commit:
            typer.echo("Chưa ghi gì. Khi đúng, chạy lại lệnh với --commit.")
            session.rollback()
            return
        made = merge(session, None, OPERATOR, asked)
        typer.echo(
            f"Đã ghi: {made.done.hamlet.name} (id {made.done.hamlet.id}), "
            f"{made.households} hộ chuyển thôn, {len(made.done.user_ids)} người dùng."
        )
