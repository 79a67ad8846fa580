"""Geography as the API shows it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CommuneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    province_id: int
    legacy_district_code: str | None
    legacy_district_name: str | None
    legacy_commune_code: str | None
    region: str | None = Field(
        description="The socio-economic region Phiếu B1 points differ by: "
        "northern_midlands_mountains, red_river_delta, north_central_central_coast, "
        "central_highlands, southeast or mekong_delta; None until set"
    )


class HamletOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    commune_id: int
    code: str
    name: str
    kind: str
    area: str
    has_boundary: bool


class HamletDetail(HamletOut):
    boundary: dict[str, Any] | None


class BoundaryIn(BaseModel):
    """A GeoJSON Polygon or MultiPolygon (or a Feature holding one), longitude/latitude."""

    geometry: dict[str, Any]


def hamlet_out(hamlet: Any) -> HamletOut:
    return HamletOut(
        id=hamlet.id,
        commune_id=hamlet.commune_id,
        code=hamlet.code,
        name=hamlet.name,
        kind=hamlet.kind,
        area=hamlet.area,
        has_boundary=hamlet.boundary is not None,
    )


def hamlet_detail(hamlet: Any) -> HamletDetail:
    return HamletDetail(**hamlet_out(hamlet).model_dump(), boundary=hamlet.boundary)
