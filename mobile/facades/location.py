"""Position of the house: a GPS fix with its accuracy, or a position typed in by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Fix:
    """A position in WGS 84 degrees with its accuracy radius in metres."""

    latitude: float
    longitude: float
    accuracy_m: float
    altitude_m: float | None = None

    def to_answer(self) -> dict[str, float]:
        """Return the fix as a ``gps`` question's answer."""
        answer = {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "accuracy_m": self.accuracy_m,
        }
        if self.altitude_m is not None:
            answer["altitude_m"] = self.altitude_m
        return answer


FixDone = Callable[[Fix | None, str | None], None]


class Locator(Protocol):
    """Find the current position; ``manual`` says the form should offer typed entry."""

    manual: bool

    def locate(self, on_done: FixDone) -> None: ...


class FakeLocator:
    """Answers with a fixed position (or fails with ``fail``), for tests and demos."""

    manual = False

    def __init__(self, fix: Fix | None = None, fail: str | None = None) -> None:
        self.fix = fix or Fix(22.1234, 104.5678, 8.5)
        self.fail = fail

    def locate(self, on_done: FixDone) -> None:
        if self.fail:
            on_done(None, self.fail)
        else:
            on_done(self.fix, None)


class DesktopLocator:
    """A desktop has no receiver: the position is typed in (accuracy as estimated)."""

    manual = True

    def locate(self, on_done: FixDone) -> None:
        on_done(None, "no GPS receiver on this computer; type the position")


class AndroidLocator:
    """Android's location service through plyer: the first fix is taken, then GPS is stopped
    to save the battery."""

    manual = True

    def locate(self, on_done: FixDone) -> None:
        from plyer import gps  # type: ignore[import-not-found]  # Android build only

        def on_location(**values: Any) -> None:
            gps.stop()
            on_done(
                Fix(
                    float(values["lat"]),
                    float(values["lon"]),
                    float(values.get("accuracy", 0.0)),
                    values.get("altitude"),
                ),
                None,
            )

        def on_status(kind: str, message: str) -> None:
            if kind == "provider-disabled":
                on_done(None, message)

        gps.configure(on_location=on_location, on_status=on_status)
        gps.start(minTime=1000, minDistance=0)
