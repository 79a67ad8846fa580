"""Rules of the geography: creating communes and hamlets, and validating boundaries."""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping, shape
from shapely.validation import explain_validity
from sqlalchemy.orm import Session

from server.audit.service import Actor, record
from server.auth.policy import Permission, Principal, require, require_place
from server.geography import repository
from server.geography.models import Commune, Hamlet, Province
from shared.errors import ErrorCode, RasoatError
from shared.score_a import as_region

HAMLET_KINDS = ("thon", "lang", "ban", "buon", "ap", "khom", "khu_pho", "to_dan_pho", "other")
COMMUNE_KINDS = ("xa", "phuong", "thi_tran", "dac_khu")


def validate_boundary(geojson: Any, hamlet: str) -> dict[str, Any]:
    """Return the boundary as a GeoJSON geometry (Polygon or MultiPolygon, lon/lat) or raise
    INVALID_BOUNDARY. A Feature is accepted and reduced to its geometry."""

    def fail(problem: str) -> RasoatError:
        return RasoatError(ErrorCode.INVALID_BOUNDARY, hamlet=hamlet, problem=problem)

    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise fail("expected a GeoJSON Polygon or MultiPolygon")
    try:
        geometry = shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise fail(f"unreadable coordinates ({exc})") from None
    if geometry.is_empty:
        raise fail("the polygon is empty")
    if not geometry.is_valid:
        raise fail(explain_validity(geometry))
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise fail("coordinates must be longitude, latitude in degrees")
    return dict(mapping(geometry))


def create_province(session: Session, actor: Actor, code: str, name: str) -> Province:
    """Return the province with ``code``, creating it if needed."""
    existing = repository.province_by_code(session, code)
    if existing is not None:
        return existing
    province = Province(code=code, name=name)
    repository.add(session, province)
    record(session, actor, "create", "province", province.id, after={"code": code, "name": name})
    return province


def create_commune(
    session: Session,
    actor: Actor,
    province: Province,
    code: str,
    name: str,
    kind: str = "xa",
    legacy_district_code: str | None = None,
    legacy_district_name: str | None = None,
    legacy_commune_code: str | None = None,
    region: str | None = None,
) -> Commune:
    """Return a new commune; raise COMMUNE_CODE_TAKEN when the code is taken, UNKNOWN_REGION
    for a region that is not one of the six."""
    if kind not in COMMUNE_KINDS:
        raise RasoatError(ErrorCode.UNKNOWN_COMMUNE_KIND, kind=kind)
    if region is not None:
        _require_region(region)
    if repository.commune_by_code(session, code) is not None:
        raise RasoatError(ErrorCode.COMMUNE_CODE_TAKEN, commune=code)
    commune = Commune(
        province_id=province.id,
        code=code,
        name=name,
        kind=kind,
        legacy_district_code=legacy_district_code,
        legacy_district_name=legacy_district_name,
        legacy_commune_code=legacy_commune_code,
        region=region,
    )
    repository.add(session, commune)
    record(
        session,
        actor,
        "create",
        "commune",
        commune.id,
        after={"code": code, "name": name, "region": region},
    )
    return commune


def _require_region(region: str) -> None:
    as_region(region)


def set_region(session: Session, actor: Actor, commune: Commune, region: str) -> Commune:
    """Set the commune's socio-economic region (one of the six) and return the commune."""
    _require_region(region)
    before = commune.region
    commune.region = region
    session.flush()
    record(session, actor, "set_region", "commune", commune.id, before=before, after=region)
    return commune


def create_hamlet(
    session: Session,
    actor: Actor,
    commune: Commune,
    code: str,
    name: str,
    kind: str,
    area: str,
    boundary: Any = None,
) -> Hamlet:
    """Return a new hamlet of ``commune``; raise HAMLET_CODE_TAKEN when the code is taken."""
    if kind not in HAMLET_KINDS:
        raise RasoatError(ErrorCode.UNKNOWN_HAMLET_KIND, kind=kind)
    if area not in ("rural", "urban"):
        raise RasoatError(ErrorCode.UNKNOWN_AREA)
    if repository.hamlet_by_code(session, commune.id, code) is not None:
        raise RasoatError(ErrorCode.HAMLET_CODE_TAKEN, hamlet=code, commune=commune.code)
    hamlet = Hamlet(
        commune_id=commune.id,
        code=code,
        name=name,
        kind=kind,
        area=area,
        boundary=None if boundary is None else validate_boundary(boundary, code),
    )
    repository.add(session, hamlet)
    record(session, actor, "create", "hamlet", hamlet.id, after={"code": code, "name": name})
    return hamlet


def set_boundary(session: Session, actor: Actor, hamlet: Hamlet, geojson: Any) -> Hamlet:
    """Replace the hamlet's boundary with a validated polygon and return the hamlet."""
    boundary = validate_boundary(geojson, hamlet.code)
    before = hamlet.boundary
    hamlet.boundary = boundary
    session.flush()
    record(session, actor, "set_boundary", "hamlet", hamlet.id, before=before, after=boundary)
    return hamlet


def import_boundaries(
    session: Session, actor: Actor, commune: Commune, collection: Any, key: str = "code"
) -> tuple[int, list[str]]:
    """Set boundaries from a GeoJSON FeatureCollection whose features name the hamlet code in
    property ``key``; return how many were set and the codes that matched no hamlet."""
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise RasoatError(ErrorCode.NOT_A_FEATURE_COLLECTION)
    done = 0
    unmatched: list[str] = []
    for feature in features:
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code = str(properties.get(key, ""))
        hamlet = repository.hamlet_by_code(session, commune.id, code)
        if hamlet is None:
            unmatched.append(code)
            continue
        set_boundary(session, actor, hamlet, feature)
        done += 1
    return done, unmatched


def visible_communes(session: Session, principal: Principal) -> list[Commune]:
    """Return the communes the principal may read."""
    require(principal, Permission.READ_REGISTRY)
    return repository.communes(session, principal.scope)


def visible_commune(session: Session, principal: Principal, commune_id: int) -> Commune:
    """Return one commune the principal may read, or raise NOT_FOUND / OUT_OF_SCOPE."""
    commune = repository.commune(session, commune_id)
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"commune {commune_id}")
    if commune not in repository.communes(session, principal.scope):
        raise RasoatError(ErrorCode.OUT_OF_SCOPE)
    return commune


def visible_hamlets(session: Session, principal: Principal, commune_id: int | None) -> list[Hamlet]:
    """Return the hamlets the principal may read."""
    require(principal, Permission.READ_REGISTRY)
    return repository.hamlets(session, principal.scope, commune_id)


def hamlet_for(
    session: Session, principal: Principal, permission: Permission, hamlet_id: int
) -> Hamlet:
    """Return the hamlet when the principal may use ``permission`` in it, else raise
    NOT_FOUND, FORBIDDEN or OUT_OF_SCOPE."""
    hamlet = repository.hamlet(session, hamlet_id)
    if hamlet is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id}")
    require_place(principal, permission, repository.place_of(hamlet))
    return hamlet
