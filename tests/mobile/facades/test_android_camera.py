"""The camera on Android: CAMERA permission first, then ACTION_IMAGE_CAPTURE writing to a
FileProvider content:// URI granted for this intent, the picture reduced and deleted."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from mobile.facades import permissions
from mobile.facades.camera import (
    CAMERA_REFUSED,
    NO_CAMERA_APP,
    REQUEST_CODE,
    AndroidCamera,
    Photo,
)
from mobile.sync.photos import LONGEST_SIDE
from tests.mobile.facades.fake_android import (
    GRANT_READ,
    GRANT_WRITE,
    PACKAGE,
    RESULT_CANCELED,
    RESULT_OK,
    Device,
    Uri,
)

Outcome = list[tuple[Photo | None, str | None]]


def _take(device: Device) -> Outcome:
    got: Outcome = []
    AndroidCamera().take(lambda photo, why: got.append((photo, why)))
    return got


def _camera_app_writes(device: Device, width: int = 4000, height: int = 3000) -> Path:
    """Play the camera app: write a full-size picture where the intent's URI points."""
    intent, _code = device.started[-1]
    uri: Uri = intent.extras["output"]
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(out, "JPEG")
    uri.file.write_bytes(out.getvalue())
    return uri.file


def test_the_camera_asks_for_the_permission_then_hands_a_content_uri(device: Device) -> None:
    device.answers = {permissions.CAMERA: True}
    got = _take(device)
    assert device.named("request_permissions") == [("request_permissions", [permissions.CAMERA])]
    ((intent, code),) = device.started
    assert intent.action == "android.media.action.IMAGE_CAPTURE"
    assert code == REQUEST_CODE
    uri: Uri = intent.extras["output"]
    assert uri.toString().startswith(f"content://{PACKAGE}.fileprovider/camera/")
    assert uri.file.parent == device.cache_dir / "camera"
    assert intent.flags & GRANT_WRITE
    assert intent.flags & GRANT_READ
    # putExtra(String, Parcelable) is the overload: pyjnius needs the cast to choose it.
    assert ("cast", "android.os.Parcelable", uri) in device.calls
    assert got == []  # nothing until the camera app returns

    picture = _camera_app_writes(device)
    device.finish_activity(REQUEST_CODE, RESULT_OK)
    ((photo, why),) = got
    assert why is None
    assert photo is not None
    assert max(photo.width, photo.height) == LONGEST_SIDE
    assert not picture.exists()  # the full-size picture does not stay in the cache
    assert device.result_listeners == []


def test_a_permission_already_granted_is_not_asked_again(device: Device) -> None:
    device.granted = {permissions.CAMERA}
    _take(device)
    assert device.named("request_permissions") == []
    assert len(device.started) == 1


def test_a_refused_camera_says_what_to_do_in_vietnamese(device: Device) -> None:
    device.answers = {permissions.CAMERA: False}
    got = _take(device)
    assert got == [(None, CAMERA_REFUSED)]
    assert device.started == []
    assert "chưa có ảnh" in CAMERA_REFUSED
    assert "Cài đặt" in CAMERA_REFUSED


def test_backing_out_of_the_camera_is_a_cancel_and_leaves_no_file(device: Device) -> None:
    device.granted = {permissions.CAMERA}
    got = _take(device)
    picture = _camera_app_writes(device, 40, 30)  # some camera apps write before cancelling
    device.finish_activity(REQUEST_CODE, RESULT_CANCELED)
    assert got == [(None, "cancelled")]
    assert not picture.exists()


def test_results_of_other_requests_are_not_taken_for_the_photo(device: Device) -> None:
    device.granted = {permissions.CAMERA}
    got = _take(device)
    device.finish_activity(REQUEST_CODE + 1, RESULT_OK)
    assert got == []
    assert len(device.result_listeners) == 1


def test_a_tablet_without_a_camera_app_says_so(device: Device) -> None:
    device.granted = {permissions.CAMERA}
    device.has_camera_app = False
    got = _take(device)
    assert got == [(None, NO_CAMERA_APP)]
    assert device.result_listeners == []
