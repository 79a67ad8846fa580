"""HTTP endpoints of communes and hamlets."""

from __future__ import annotations

from fastapi import APIRouter

from server.auth.dependencies import GeographyManager, Reader
from server.auth.policy import Permission
from server.auth.service import actor_of
from server.db import DbSession
from server.geography import service
from server.geography.schemas import (
    BoundaryIn,
    CommuneOut,
    HamletDetail,
    HamletOut,
    hamlet_detail,
    hamlet_out,
)
from server.ids import PathId, QueryId

router = APIRouter(tags=["geography"])


@router.get("/communes", response_model=list[CommuneOut])
def communes(principal: Reader, session: DbSession) -> list[CommuneOut]:
    """Communes inside your scope."""
    return [CommuneOut.model_validate(c) for c in service.visible_communes(session, principal)]


@router.get("/communes/{commune_id}", response_model=CommuneOut)
def commune(commune_id: PathId, principal: Reader, session: DbSession) -> CommuneOut:
    """One commune, with the district and commune codes it had before July 2025."""
    return CommuneOut.model_validate(service.visible_commune(session, principal, commune_id))


@router.get("/hamlets", response_model=list[HamletOut])
def hamlets(principal: Reader, session: DbSession, commune_id: QueryId = None) -> list[HamletOut]:
    """Hamlets inside your scope, optionally of one commune."""
    return [hamlet_out(h) for h in service.visible_hamlets(session, principal, commune_id)]


@router.get("/hamlets/{hamlet_id}", response_model=HamletDetail)
def hamlet(hamlet_id: PathId, principal: Reader, session: DbSession) -> HamletDetail:
    """One hamlet with its boundary (GeoJSON, longitude/latitude)."""
    found = service.hamlet_for(session, principal, Permission.READ_REGISTRY, hamlet_id)
    return hamlet_detail(found)


@router.put("/hamlets/{hamlet_id}/boundary", response_model=HamletDetail)
def set_boundary(
    hamlet_id: PathId, body: BoundaryIn, principal: GeographyManager, session: DbSession
) -> HamletDetail:
    """Replace the hamlet's boundary with a valid Polygon or MultiPolygon."""
    found = service.hamlet_for(session, principal, Permission.MANAGE_GEOGRAPHY, hamlet_id)
    return hamlet_detail(service.set_boundary(session, actor_of(principal), found, body.geometry))
