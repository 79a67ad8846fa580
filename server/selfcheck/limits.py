"""How often one address may use the public page: a sliding window per address, in process.

The page needs no account, so the only brake on someone filling the commune's application list
with rubbish, or making the server classify all day, is the address the requests come from.
One server process serves a commune or a province, so an in-process count is enough; behind a
reverse proxy, uvicorn's ``--proxy-headers`` gives the visitor's address rather than the proxy's.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock

from shared.errors import ErrorCode, RasoatError


@dataclass(frozen=True)
class Rule:
    """At most ``times`` requests in ``seconds`` from one address."""

    times: int
    seconds: float


# A household filling the form in looks at its result a few times; a village's shared phone
# may serve several households. Sending is rarer: one application a household.
CHECK = Rule(times=60, seconds=600)
SEND = Rule(times=5, seconds=3600)
# Addresses remembered at most: beyond it the oldest are forgotten (memory stays bounded).
_MAX_ADDRESSES = 50_000


@dataclass
class Limiter:
    """Counts requests per (rule name, address) over the rules' windows."""

    rules: dict[str, Rule]
    clock: Callable[[], float] = time.monotonic
    _seen: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def hit(self, name: str, address: str) -> None:
        """Count a request; raise TOO_MANY_REQUESTS (with the seconds to wait) over the rule."""
        rule = self.rules[name]
        now = self.clock()
        with self._lock:
            times = self._seen.pop((name, address), None) or deque()
            while times and times[0] <= now - rule.seconds:
                times.popleft()
            if len(times) >= rule.times:
                self._seen[(name, address)] = times
                wait = math.ceil(times[0] + rule.seconds - now)
                raise RasoatError(ErrorCode.TOO_MANY_REQUESTS, seconds=max(wait, 1))
            times.append(now)
            # Re-inserted last, so the dict's first keys are the least recently seen.
            self._seen[(name, address)] = times
            while len(self._seen) > _MAX_ADDRESSES:
                del self._seen[next(iter(self._seen))]


def default_limiter() -> Limiter:
    """Return the limiter of a new application."""
    return Limiter({"check": CHECK, "send": SEND})
