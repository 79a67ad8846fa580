"""``rasoat admin …``: communes, users, boundaries, the demo commune and the audit chain.

Each command runs in one transaction on the database of ``RASOAT_DATABASE_URL`` (SQLite in
the data folder by default), migrated to the newest schema first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from server.audit import seal
from server.audit.service import Actor, verify
from server.audit.service import reanchor as reanchor_chain
from server.auth import repository as accounts
from server.auth.models import User
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user, end_sessions, reset_password, set_active
from server.db import make_engine, make_session_factory, utcnow
from server.demo.service import DemoSummary, build_demo
from server.demo.support import build_demo_support
from server.geography import repository as geography
from server.geography.models import Commune
from server.geography.service import (
    COMMUNE_KINDS,
    HAMLET_KINDS,
    create_commune,
    create_hamlet,
    create_province,
    import_boundaries,
    set_region,
)
from server.migrate import upgrade
from server.settings import Settings
from shared.errors import RasoatError
from shared.score_a import REGION_NAMES

app = typer.Typer(help="Administration of the server's database.", no_args_is_help=True)

OPERATOR = Actor(None, "cli")


def _settings() -> Settings:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    """Yield a session on the migrated database; commit at the end, or report the catalog
    error and exit with status 2."""
    upgrade(settings.resolved_migration_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        factory = make_session_factory(engine)
        seal.install(factory, seal.Seal.of(settings))
        with factory() as session:
            try:
                yield session
                session.commit()
            except RasoatError as exc:
                session.rollback()
                typer.echo(exc.message("vi"), err=True)
                raise typer.Exit(code=2) from None
    finally:
        engine.dispose()


def _commune(session: Session, code: str) -> Commune:
    """Return the commune with ``code``, or report that there is none and exit with 2."""
    found = geography.commune_by_code(session, code)
    if found is None:
        typer.echo(f"no commune {code}", err=True)
        raise typer.Exit(code=2)
    return found


@app.command("migrate")
def migrate_command() -> None:
    """Bring the database schema up to date (run on every release)."""
    url = _settings().resolved_migration_url
    upgrade(url)
    typer.echo(f"schema up to date: {url.split('@')[-1]}")


@app.command("create-commune")
def create_commune_command(
    province_code: Annotated[str, typer.Option(help="province code, e.g. 38")],
    province_name: Annotated[str, typer.Option(help="province name, e.g. 'Thanh Hóa'")],
    code: Annotated[str, typer.Option(help="commune code (after July 2025)")],
    name: Annotated[str, typer.Option(help="commune name")],
    kind: Annotated[str, typer.Option(help=", ".join(COMMUNE_KINDS))] = "xa",
    legacy_district_code: Annotated[str | None, typer.Option()] = None,
    legacy_district_name: Annotated[str | None, typer.Option()] = None,
    legacy_commune_code: Annotated[str | None, typer.Option()] = None,
    region: Annotated[
        str | None, typer.Option(help="socio-economic region: " + ", ".join(REGION_NAMES))
    ] = None,
) -> None:
    """Create a commune (and its province when new)."""
    with _session(_settings()) as session:
        province = create_province(session, OPERATOR, province_code, province_name)
        commune = create_commune(
            session,
            OPERATOR,
            province,
            code,
            name,
            kind,
            legacy_district_code,
            legacy_district_name,
            legacy_commune_code,
            region,
        )
        typer.echo(f"commune {commune.code} created (id {commune.id})")


@app.command("set-commune-region")
def set_commune_region_command(
    commune: Annotated[str, typer.Option(help="commune code")],
    region: Annotated[str, typer.Argument(help=", ".join(REGION_NAMES))],
) -> None:
    """Set a commune's socio-economic region (the Phiếu B1 points differ by region)."""
    with _session(_settings()) as session:
        found = _commune(session, commune)
        set_region(session, OPERATOR, found, region)
        typer.echo(f"commune {found.code}: {region}")


@app.command("create-hamlet")
def create_hamlet_command(
    commune: Annotated[str, typer.Option(help="commune code")],
    code: Annotated[str, typer.Option(help="hamlet code, unique in the commune")],
    name: Annotated[str, typer.Option(help="hamlet name")],
    kind: Annotated[str, typer.Option(help=", ".join(HAMLET_KINDS))] = "thon",
    area: Annotated[str, typer.Option(help="rural or urban")] = "rural",
) -> None:
    """Create a hamlet in a commune."""
    with _session(_settings()) as session:
        found = _commune(session, commune)
        hamlet = create_hamlet(session, OPERATOR, found, code, name, kind, area)
        typer.echo(f"hamlet {hamlet.code} created (id {hamlet.id})")


@app.command("import-boundaries")
def import_boundaries_command(
    commune: Annotated[str, typer.Option(help="commune code")],
    geojson: Annotated[Path, typer.Argument(help="a GeoJSON FeatureCollection file")],
    key: Annotated[str, typer.Option(help="feature property holding the hamlet code")] = "code",
) -> None:
    """Set hamlet boundaries from GeoJSON features (Polygon or MultiPolygon, lon/lat)."""
    try:
        collection = json.loads(geojson.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        typer.echo(f"cannot read {geojson}: {exc}", err=True)
        raise typer.Exit(code=2) from None
    with _session(_settings()) as session:
        found = _commune(session, commune)
        done, unmatched = import_boundaries(session, OPERATOR, found, collection, key)
        typer.echo(f"{done} boundaries set")
        if unmatched:
            typer.echo(f"no hamlet for: {', '.join(unmatched)}", err=True)


@app.command("create-user")
def create_user_command(
    username: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    full_name: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    commune: Annotated[
        str | None, typer.Option(help="commune code: the scope, or the hamlets' commune")
    ] = None,
    hamlet: Annotated[
        list[str] | None, typer.Option(help="hamlet code (repeat); needs --commune")
    ] = None,
    province: Annotated[str | None, typer.Option(help="province code: province scope")] = None,
) -> None:
    """Create a user with a role over hamlets, a commune or a province."""
    settings = _settings()
    with _session(settings) as session:
        if hamlet:
            found = geography.commune_by_code(session, commune or "")
            hamlets = [
                geography.hamlet_by_code(session, found.id, c) if found else None for c in hamlet
            ]
            if found is None or None in hamlets:
                typer.echo("unknown commune or hamlet", err=True)
                raise typer.Exit(code=2)
            scope = Scope(
                ScopeKind.HAMLETS, hamlet_ids=frozenset(h.id for h in hamlets if h is not None)
            )
        elif commune:
            found = geography.commune_by_code(session, commune)
            scope = Scope(ScopeKind.COMMUNE, commune_id=found.id if found else -1)
        elif province:
            place = geography.province_by_code(session, province)
            scope = Scope(ScopeKind.PROVINCE, province_id=place.id if place else -1)
        else:
            typer.echo("give --hamlet (with --commune), --commune or --province", err=True)
            raise typer.Exit(code=2)
        user = create_user(
            session, Security(settings), OPERATOR, username, full_name, password, role, scope
        )
        typer.echo(f"user {user.username} ({role.value}) created")


def _user_named(session: Session, username: str) -> User:
    user = accounts.user_by_username(session, username)
    if user is None:
        typer.echo(f"no user {username}", err=True)
        raise typer.Exit(code=2)
    return user


@app.command("disable-user")
def disable_user_command(username: Annotated[str, typer.Argument()]) -> None:
    """Disable a user: they cannot sign in, and their sessions end at once."""
    with _session(_settings()) as session:
        set_active(session, OPERATOR, _user_named(session, username), False, utcnow())
    typer.echo(f"user {username} disabled")


@app.command("enable-user")
def enable_user_command(username: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled user again (their lock-out is cleared too)."""
    with _session(_settings()) as session:
        set_active(session, OPERATOR, _user_named(session, username), True, utcnow())
    typer.echo(f"user {username} enabled")


@app.command("reset-password")
def reset_password_command(
    username: Annotated[str, typer.Argument()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Give a user a new password; their sessions end."""
    settings = _settings()
    with _session(settings) as session:
        user = _user_named(session, username)
        reset_password(session, Security(settings), OPERATOR, user, password, utcnow())
    typer.echo(f"password of {username} reset; their sessions ended")


@app.command("end-sessions")
def end_sessions_command(username: Annotated[str, typer.Argument()]) -> None:
    """Sign a user out on every device (a lost tablet, a shared password)."""
    with _session(_settings()) as session:
        end_sessions(session, OPERATOR, _user_named(session, username), utcnow())
    typer.echo(f"sessions of {username} ended")


@app.command("verify-audit")
def verify_audit_command(
    reanchor: Annotated[
        bool,
        typer.Option(
            help="after restoring a backup: check the chain without the anchor, then anchor "
            "it at its newest entry"
        ),
    ] = False,
) -> None:
    """Check the audit log's MAC chain and its anchor; exit 1 when a row was changed or
    removed, or rows are missing from the end."""
    with _session(_settings()) as session:
        report = reanchor_chain(session) if reanchor else verify(session)
    if report.ok:
        typer.echo(f"audit chain intact: {report.checked} entries")
        return
    typer.echo(
        f"audit chain broken at entry {report.broken_at}: {report.problem} "
        f"({report.checked} entries verified before it)",
        err=True,
    )
    raise typer.Exit(code=1)


def print_demo(summary: DemoSummary) -> None:
    """Print what the demo holds and how to sign in."""
    classes = ", ".join(f"{name} {count}" for name, count in sorted(summary.classes.items()))
    typer.echo(f"demo commune: {summary.households} households ({classes})")
    typer.echo(f"demo logins (password: {summary.password}):")
    for login in summary.logins:
        typer.echo(f"  {login.username:<12} {login.role.value:<16} {login.where}")


@app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(help="random seed; the same seed, the same commune")] = 2022,
) -> None:
    """Build the demo commune (Vĩnh Lộc town, end of 2022: 10 khu phố, 2,567 households, 8
    poor, 34 near-poor) with generated people and a user for every role."""
    settings = _settings()
    with _session(settings) as session:
        summary = build_demo(session, Security(settings), seed)
    print_demo(summary)


@app.command("demo-support")
def demo_support_command(
    seed: Annotated[int, typer.Option(help="random seed")] = 2023,
) -> None:
    """Add seed 002's plan to the demo commune: 20 helping officers and 51 confirmed
    registrations to exit poverty in 2023 (run ``demo`` first)."""
    with _session(_settings()) as session:
        summary = build_demo_support(session, seed)
    typer.echo(
        f"{len(summary.officer_ids)} helping officers, {len(summary.registration_ids)} "
        f"registrations for 2023 ({summary.added_households} poor households added)"
    )
