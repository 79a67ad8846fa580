"""The FastAPI application: ``create_app(settings)``."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from sqlalchemy.orm import Session, sessionmaker

from server import health
from server.audit import seal
from server.audit.router import router as audit_router
from server.auth.router import router as auth_router
from server.auth.security import Security
from server.classification.router import router as classify_router
from server.console import mount as mount_console
from server.db import make_engine, make_session_factory
from server.errors import ERROR_RESPONSES, install_error_handlers
from server.feeds import survey_standard, sync_domains
from server.geography.router import router as geography_router
from server.guards import RequestGuard, SecurityHeaders
from server.households.router import router as households_router
from server.imports.router import router as imports_router
from server.jobs.router import router as jobs_router
from server.reports.router import router as reports_router
from server.review.router import router as review_router
from server.selfcheck import mount as mount_selfcheck
from server.settings import Settings
from server.support.router import router as support_router
from server.surveys.router import router as surveys_router
from server.sync.router import router as sync_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings, session_factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Return the application for ``settings``; ``session_factory`` replaces the one built
    from the database URL (tests bind it to a connection they roll back). Raises ValueError
    for the demo secret outside demo mode."""
    settings.check_secret()
    app = FastAPI(
        title="Rà Soát API",
        version="1",
        description="Household poverty review under Vietnam's multidimensional standard. "
        "Errors answer {error, message, detail}; messages follow Accept-Language (vi, en).",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.resolved_database_url))
    seal.install(session_factory, seal.Seal.of(settings))
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.security = Security(settings)
    app.state.sync_domains = sync_domains()
    app.state.survey_standard = survey_standard()
    install_error_handlers(app)
    app.add_middleware(
        RequestGuard,
        limit=settings.max_body_bytes,
        per_record=frozenset({f"{API_PREFIX}/sync/push"}),
    )
    app.add_middleware(SecurityHeaders)

    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    for router in (
        auth_router,
        geography_router,
        households_router,
        imports_router,
        surveys_router,
        classify_router,
        audit_router,
        sync_router,
        review_router,
        support_router,
        reports_router,
        jobs_router,
    ):
        api.include_router(router)
    app.include_router(health.router, responses=ERROR_RESPONSES)
    app.include_router(api)
    mount_console(app)
    mount_selfcheck(app)
    return app
