"""Times as people on the tablet read them: stored in UTC (ISO text), shown in the tablet's
time zone (Asia/Ho_Chi_Minh unless the settings say otherwise), dates day/month/year.

Android ships no IANA database Python can read, so ``tzdata`` is a dependency of the tablet."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def zone(name: str) -> ZoneInfo:
    """Return the time zone ``name``, the default one when the name is not a known zone."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def is_zone(name: str) -> bool:
    """Return whether ``name`` is a time zone this tablet knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local(stamp: str, zone_name: str) -> datetime | None:
    """Return the stored ISO time ``stamp`` in the zone, None when it is not a time (a time
    without an offset is UTC, as the store writes them)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name))


def clock_text(stamp: str, zone_name: str) -> str:
    """Return hours:minutes of ``stamp`` in the zone ("15:28"), "" for anything else."""
    moment = local(stamp, zone_name)
    return "" if moment is None else moment.strftime("%H:%M")


def moment_text(stamp: str, zone_name: str) -> str:
    """Return ``stamp`` as day/month/year hours:minutes in the zone ("02/12/2026 15:28")."""
    moment = local(stamp, zone_name)
    return "" if moment is None else moment.strftime("%d/%m/%Y %H:%M")
