"""Every page of the console, in one router mounted at ``/`` (not in the OpenAPI schema:
these answer HTML; tests/server/auth/test_scope_matrix.py lists them from the app's routes)."""

from __future__ import annotations

from fastapi import APIRouter

from server.console import (
    cases,
    hamlets,
    home,
    imports,
    jobs,
    maps,
    people,
    photos,
    province,
    queue,
    reports,
    signin,
    tracker,
)

router = APIRouter(include_in_schema=False)
for pages in (
    signin,
    home,
    queue,
    cases,
    tracker,
    maps,
    reports,
    photos,
    people,
    province,
    hamlets,
    imports,
    jobs,
):
    router.include_router(pages.router)
