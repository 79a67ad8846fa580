"""Photos are reduced and hashed at capture (by the sync's reducer); positions carry their
accuracy."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from mobile.facades.camera import DesktopCamera, FakeCamera, Photo, reduce_and_hash
from mobile.facades.location import DesktopLocator, FakeLocator, Fix
from mobile.sync.photos import LONGEST_SIDE


def _jpeg_with_exif(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}  # GPS: latitude 21°2'3" N
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_large_photo_is_fitted_hashed_and_keeps_only_its_gps() -> None:
    photo = reduce_and_hash(_jpeg_with_exif(4000, 3000))
    assert max(photo.width, photo.height) == LONGEST_SIDE
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    assert b"PhoneMaker" not in photo.jpeg
    with Image.open(io.BytesIO(photo.jpeg)) as reduced:
        assert reduced.getexif().get_ifd(0x8825)[1] == "N"


def test_bytes_that_are_not_a_picture_are_refused() -> None:
    with pytest.raises(ValueError, match="not an image"):
        reduce_and_hash(b"hello")


def test_the_desktop_camera_reads_the_chosen_file(tmp_path: Path) -> None:
    path = tmp_path / "house.jpg"
    path.write_bytes(_jpeg_with_exif(800, 600))
    got: list[tuple[Photo | None, str | None]] = []
    DesktopCamera(lambda done: done(str(path))).take(lambda p, why: got.append((p, why)))
    assert got[0][0] is not None
    assert got[0][0].width == 800
    DesktopCamera(lambda done: done(None)).take(lambda p, why: got.append((p, why)))
    assert got[1] == (None, "cancelled")


def test_the_fake_camera_gives_distinct_photos() -> None:
    shots: list[Photo] = []
    camera = FakeCamera()
    for _ in range(2):
        camera.take(lambda p, _why: shots.append(p) if p else None)
    assert shots[0].sha256 != shots[1].sha256


def test_locators_report_a_fix_or_ask_for_typing() -> None:
    got: list[tuple[Fix | None, str | None]] = []
    FakeLocator(Fix(21.0, 105.8, 6.0)).locate(lambda f, why: got.append((f, why)))
    DesktopLocator().locate(lambda f, why: got.append((f, why)))
    assert got[0][0] is not None
    assert got[0][0].to_answer()["accuracy_m"] == 6.0
    assert got[1][0] is None
    assert DesktopLocator.manual
