"""``rasoat serve``: run the API server (uvicorn)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from server.app import create_app
from server.audit import seal
from server.auth.security import Security
from server.cli.admin import print_demo
from server.db import make_engine, make_session_factory
from server.demo.commune import COMMUNE
from server.demo.service import build_demo
from server.geography import repository as geography
from server.jobs.worker import start_in_thread
from server.migrate import upgrade
from server.settings import Settings


def _ensure_demo(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    try:
        factory = make_session_factory(engine)
        seal.install(factory, seal.Seal.of(settings))
        with factory() as session:
            if geography.commune_by_code(session, str(COMMUNE["code"])) is None:
                summary = build_demo(session, Security(settings))
                session.commit()
                print_demo(summary)
            else:
                typer.echo(
                    "demo commune present; logins: admin, tinh, chutich, canbo, "
                    "rasoatvien, truongkp1, phutrach (password: rasoat-demo)"
                )
    finally:
        engine.dispose()


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="demo mode: build the demo commune if missing")
    ] = False,
    migrate: Annotated[bool, typer.Option(help="upgrade the schema before starting")] = True,
) -> None:
    """Run the API (SQLite in the data folder unless RASOAT_DATABASE_URL is set)."""
    if demo:
        os.environ["RASOAT_DEMO"] = "1"
    settings = Settings()
    try:
        settings.check_secret()
    except ValueError as exc:
        typer.echo(f"{exc}", err=True)
        raise typer.Exit(code=2) from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if migrate:
        upgrade(settings.resolved_migration_url)
    if demo:
        _ensure_demo(settings)
    typer.echo(f"Rà Soát API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    # The embedded default runs its background jobs in a thread of this process, so the
    # README's one command needs no second one; with several API processes the thread stays
    # in this (supervising) process alone. A deployment runs ``rasoat worker`` instead.
    jobs = start_in_thread(settings) if settings.jobs_in_process else None
    try:
        if workers > 1:
            uvicorn.run("server.asgi:app", host=host, port=port, workers=workers)
        else:
            uvicorn.run(create_app(settings), host=host, port=port)
    finally:
        if jobs is not None:
            thread, stop = jobs
            stop.set()
            thread.join(timeout=30)
