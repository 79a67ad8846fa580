"""Position of the house: a GPS fix with its accuracy, or a position typed in by hand."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, cast

from mobile.facades import permissions


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


# Good enough to find the house again on a hamlet map; GPS outdoors usually gets there in
# under a minute, and a person waiting at the door will not wait much longer.
WANTED_ACCURACY_M = 10.0
TIMEOUT_S = 60.0
UPDATE_EVERY_MS = 1000
LOCATION_REFUSED = (
    "bạn chưa cho phép ứng dụng dùng vị trí chính xác, nên không lấy được toạ độ của hộ. Hãy "
    "nhập toạ độ bằng tay, hoặc bật quyền Vị trí (chính xác) cho Rà Soát trong Cài đặt của máy."
)
LOCATION_OFF = (
    "định vị của máy đang tắt. Hãy bật Vị trí trong Cài đặt rồi thử lại, hoặc nhập toạ độ bằng tay."
)
NO_FIX = (
    "không bắt được tín hiệu định vị sau {seconds} giây. Hãy ra chỗ thoáng rồi thử lại, hoặc "
    "nhập toạ độ bằng tay."
)

StartTimer = Callable[[float, Callable[[], None]], Callable[[], None]]


def _thread_timer(seconds: float, then: Callable[[], None]) -> Callable[[], None]:
    """Return the cancel function of a timer that calls ``then`` after ``seconds``."""
    timer = threading.Timer(seconds, then)
    timer.daemon = True
    timer.start()
    return timer.cancel


class AndroidLocator:
    """Android's LocationManager, after the location permission: GPS and the network provider
    both listen, the most accurate fix so far is kept, and listening stops as soon as a fix is
    within ``wanted_accuracy_m`` or ``timeout_s`` has passed (then the best fix, if any, is the
    answer, with its accuracy recorded). The form keeps typed entry open (``manual``).
    """

    manual = True

    def __init__(
        self,
        wanted_accuracy_m: float = WANTED_ACCURACY_M,
        timeout_s: float = TIMEOUT_S,
        start_timer: StartTimer | None = None,
    ) -> None:
        self.wanted_accuracy_m = wanted_accuracy_m
        self.timeout_s = timeout_s
        self.start_timer = start_timer or _thread_timer

    def locate(self, on_done: FixDone) -> None:
        def answered(granted: bool) -> None:
            if granted:
                self._listen(on_done)
            else:
                on_done(None, LOCATION_REFUSED)

        permissions.ask(
            [permissions.FINE_LOCATION, permissions.COARSE_LOCATION],
            permissions.FINE_LOCATION,
            answered,
        )

    def _listen(self, on_done: FixDone) -> None:
        from jnius import autoclass

        context = autoclass("org.kivy.android.PythonActivity").mActivity
        manager_class = autoclass("android.location.LocationManager")
        manager = context.getSystemService(autoclass("android.content.Context").LOCATION_SERVICE)
        providers = [
            name
            for name in (manager_class.GPS_PROVIDER, manager_class.NETWORK_PROVIDER)
            if manager.isProviderEnabled(name)
        ]
        if not providers:
            on_done(None, LOCATION_OFF)
            return
        search = _Search(self.wanted_accuracy_m, on_done)
        listener = _listener_class()(search.offer)
        search.stop = lambda: manager.removeUpdates(listener)
        looper = autoclass("android.os.Looper").getMainLooper()
        for name in providers:
            manager.requestLocationUpdates(name, UPDATE_EVERY_MS, 0.0, listener, looper)
        search.cancel_timer = self.start_timer(self.timeout_s, search.time_up)


class _Search:
    """One call of ``locate``: the best fix so far, answered exactly once (fixes arrive on
    Android's main thread, the timeout on a timer thread)."""

    def __init__(self, wanted_accuracy_m: float, on_done: FixDone) -> None:
        self.wanted_accuracy_m = wanted_accuracy_m
        self.on_done = on_done
        self.best: Fix | None = None
        self.finished = False
        self.lock = threading.Lock()
        self.stop: Callable[[], None] = lambda: None
        self.cancel_timer: Callable[[], None] = lambda: None
        self.seconds = 0

    def offer(self, fix: Fix) -> None:
        with self.lock:
            if self.finished:
                return
            if self.best is None or fix.accuracy_m < self.best.accuracy_m:
                self.best = fix
            if self.best.accuracy_m > self.wanted_accuracy_m:
                return
            self.finished = True
        self.cancel_timer()
        self._answer()

    def time_up(self) -> None:
        with self.lock:
            if self.finished:
                return
            self.finished = True
        self._answer()

    def _answer(self) -> None:
        self.stop()
        if self.best is None:
            self.on_done(None, NO_FIX)
        else:
            self.on_done(self.best, None)


def _fix_of(location: Any) -> Fix:
    """Return the fix of an ``android.location.Location`` (no accuracy: counted as unknown)."""
    return Fix(
        float(location.getLatitude()),
        float(location.getLongitude()),
        float(location.getAccuracy()) if location.hasAccuracy() else float("inf"),
        float(location.getAltitude()) if location.hasAltitude() else None,
    )


def _listener_class() -> type[Any]:
    """Return the Java ``LocationListener`` written in Python (pyjnius needs the device's JVM,
    so the class is made when first needed)."""
    from jnius import PythonJavaClass
    from jnius import java_method as untyped_java_method

    java_method = cast(
        Callable[..., Callable[[Callable[..., None]], Callable[..., None]]], untyped_java_method
    )

    class Listener(PythonJavaClass):  # type: ignore[misc]  # pyjnius is untyped
        __javainterfaces__: ClassVar[list[str]] = ["android/location/LocationListener"]
        __javacontext__ = "app"

        def __init__(self, offer: Callable[[Fix], None]) -> None:
            super().__init__()
            self.offer = offer

        @java_method("(Landroid/location/Location;)V", name="onLocationChanged")
        def on_location_changed(self, location: Any) -> None:
            self.offer(_fix_of(location))

        # Android 12+ may deliver a batch of fixes at once.
        @java_method("(Ljava/util/List;)V", name="onLocationChanged")
        def on_locations_changed(self, locations: Any) -> None:
            for index in range(locations.size()):
                self.offer(_fix_of(locations.get(index)))

        @java_method("(Ljava/lang/String;)V", name="onProviderEnabled")
        def on_provider_enabled(self, provider: str) -> None:
            """Nothing to do: the other provider may still answer."""

        @java_method("(Ljava/lang/String;)V", name="onProviderDisabled")
        def on_provider_disabled(self, provider: str) -> None:
            """Nothing to do: the timeout answers with the best fix so far."""

        @java_method("(Ljava/lang/String;ILandroid/os/Bundle;)V", name="onStatusChanged")
        def on_status_changed(self, provider: str, status: int, extras: Any) -> None:
            """Deprecated in API 29 and still called before it."""

    return Listener
