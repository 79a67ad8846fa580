"""Whether a GPS point lies in its hamlet: distance in metres from the hamlet's polygon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shapely.affinity import affine_transform
from shapely.geometry import Point, shape

# Metres per degree of latitude, and of longitude at the equator (WGS 84 mean values); a local
# equirectangular projection is exact to well under 1 % across a hamlet.
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0


@dataclass(frozen=True)
class Geofence:
    inside: bool
    distance_m: float
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        return {"inside": self.inside, "distance_m": self.distance_m, "flagged": self.flagged}


def check(
    boundary: dict[str, Any], latitude: float, longitude: float, accuracy_m: float | None
) -> Geofence:
    """Return the point's distance in metres from the boundary polygon (0 inside) and whether
    it is flagged: outside by more than the fix's accuracy."""
    scale_x = _M_PER_DEG_LON * math.cos(math.radians(latitude))
    # Degrees to metres around the point, which becomes the origin: x' = (x - lon) * scale_x,
    # y' = (y - lat) * metres per degree of latitude.
    polygon = affine_transform(
        shape(boundary),
        [scale_x, 0.0, 0.0, _M_PER_DEG_LAT, -longitude * scale_x, -latitude * _M_PER_DEG_LAT],
    )
    distance = round(float(polygon.distance(Point(0.0, 0.0))), 1)
    return Geofence(
        inside=distance == 0.0, distance_m=distance, flagged=distance > (accuracy_m or 0.0)
    )
