"""The server's clock as a request dependency: routers take today's date from it and pass it
to the services, which never read a clock (tests override the dependency)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    """Return today's date in Vietnam, where every period of the review is counted."""
    return datetime.now(VIETNAM).date()


Today = Annotated[date, Depends(today)]
