"""The position on Android: the location permission first, GPS and network listened to, the
most accurate fix kept, updates removed once a fix is good enough or the time is up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mobile.facades import permissions
from mobile.facades.location import (
    LOCATION_OFF,
    LOCATION_REFUSED,
    NO_FIX,
    AndroidLocator,
    Fix,
)
from tests.mobile.facades.fake_android import Device, Location

Outcome = list[tuple[Fix | None, str | None]]


class Timer:
    """A timer the test fires by hand."""

    def __init__(self) -> None:
        self.seconds: float | None = None
        self.then: Callable[[], None] = lambda: None
        self.cancelled = False

    def start(self, seconds: float, then: Callable[[], None]) -> Callable[[], None]:
        self.seconds, self.then = seconds, then
        return self.cancel

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture
def timer() -> Timer:
    return Timer()


def _locate(device: Device, timer: Timer) -> Outcome:
    got: Outcome = []
    AndroidLocator(wanted_accuracy_m=10.0, timeout_s=45.0, start_timer=timer.start).locate(
        lambda fix, why: got.append((fix, why))
    )
    return got


def _fix(device: Device, accuracy: float | None, lat: float = 21.0) -> None:
    for listener in list(device.location_listeners):
        listener.on_location_changed(Location(lat, 105.8, accuracy, 12.0))


def _granted(device: Device) -> None:
    device.answers = {permissions.FINE_LOCATION: True, permissions.COARSE_LOCATION: True}


def test_both_location_permissions_are_asked_then_gps_and_network_listen(
    device: Device, timer: Timer
) -> None:
    _granted(device)
    _locate(device, timer)
    assert device.named("request_permissions") == [
        ("request_permissions", [permissions.FINE_LOCATION, permissions.COARSE_LOCATION])
    ]
    assert device.named("requestLocationUpdates") == [
        ("requestLocationUpdates", "gps", 1000, 0.0, "main-looper"),
        ("requestLocationUpdates", "network", 1000, 0.0, "main-looper"),
    ]
    assert timer.seconds == 45.0


def test_the_best_fix_is_kept_until_one_is_accurate_enough(device: Device, timer: Timer) -> None:
    _granted(device)
    got = _locate(device, timer)
    _fix(device, 35.0, lat=21.1)
    _fix(device, 60.0, lat=21.2)  # worse: not kept
    _fix(device, 12.0, lat=21.3)
    assert got == []
    _fix(device, 6.0, lat=21.4)
    ((fix, why),) = got
    assert why is None
    assert fix == Fix(21.4, 105.8, 6.0, 12.0)
    assert device.named("removeUpdates") == [("removeUpdates",)]
    assert device.location_listeners == []
    assert timer.cancelled


def test_at_the_timeout_the_best_fix_so_far_is_the_answer(device: Device, timer: Timer) -> None:
    _granted(device)
    got = _locate(device, timer)
    _fix(device, 40.0, lat=21.1)
    _fix(device, 25.0, lat=21.2)
    _fix(device, 30.0, lat=21.3)
    timer.then()
    assert got == [(Fix(21.2, 105.8, 25.0, 12.0), None)]
    assert device.named("removeUpdates") == [("removeUpdates",)]
    timer.then()  # a late timer or fix does not answer twice
    assert len(got) == 1


def test_no_fix_before_the_timeout_says_what_to_do(device: Device, timer: Timer) -> None:
    _granted(device)
    got = _locate(device, timer)
    timer.then()
    assert got == [(None, NO_FIX)]
    assert device.location_listeners == []
    assert "nhập toạ độ bằng tay" in NO_FIX


def test_a_fix_without_accuracy_never_counts_as_accurate(device: Device, timer: Timer) -> None:
    _granted(device)
    got = _locate(device, timer)
    _fix(device, None)
    assert got == []


@pytest.mark.parametrize(
    "answers",
    [
        {permissions.FINE_LOCATION: False, permissions.COARSE_LOCATION: False},
        # "Approximate" only: kilometres off, not a house's position.
        {permissions.FINE_LOCATION: False, permissions.COARSE_LOCATION: True},
    ],
)
def test_a_refused_location_says_to_type_the_position(
    device: Device, timer: Timer, answers: dict[str, bool]
) -> None:
    device.answers = answers
    got = _locate(device, timer)
    assert got == [(None, LOCATION_REFUSED)]
    assert device.named("requestLocationUpdates") == []
    assert "nhập toạ độ bằng tay" in LOCATION_REFUSED


def test_location_switched_off_is_said_before_waiting(device: Device, timer: Timer) -> None:
    _granted(device)
    device.enabled_providers = set()
    got = _locate(device, timer)
    assert got == [(None, LOCATION_OFF)]
    assert timer.seconds is None


def test_only_the_enabled_provider_listens(device: Device, timer: Timer) -> None:
    _granted(device)
    device.enabled_providers = {"network"}
    _locate(device, timer)
    providers: list[Any] = [call[1] for call in device.named("requestLocationUpdates")]
    assert providers == ["network"]
