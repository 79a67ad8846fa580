"""Photos: taken by the device, reduced and hashed at capture, never kept full size.

Reducing on the tablet keeps sync small on weak signal (a 12-megapixel photo is ~4 MB, the
reduced one ~150 kB) and strips EXIF, which may carry the enumerator's GPS trail. The SHA-256
of the reduced bytes names the photo in the answers and on the server.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageDraw, ImageOps

MAX_SIDE = 1600
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Photo:
    """A reduced JPEG and its SHA-256 (hex)."""

    jpeg: bytes
    sha256: str
    width: int
    height: int


PhotoDone = Callable[[Photo | None, str | None], None]


class Camera(Protocol):
    """Take one photo; call ``on_done(photo, None)`` or ``on_done(None, why)``."""

    def take(self, on_done: PhotoDone) -> None: ...


def reduce_and_hash(raw: bytes, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY) -> Photo:
    """Return the photo turned upright, fitted within ``max_side`` pixels, re-encoded as JPEG
    without metadata, with its SHA-256. Raises ``ValueError`` for bytes that are not an image."""
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, SyntaxError) as error:
        raise ValueError(f"not an image: {error}") from None
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    jpeg = out.getvalue()
    return Photo(jpeg, hashlib.sha256(jpeg).hexdigest(), image.width, image.height)


def _from_file(path: str | None, on_done: PhotoDone) -> None:
    if not path:
        on_done(None, "cancelled")
        return
    try:
        on_done(reduce_and_hash(Path(path).read_bytes()), None)
    except (OSError, ValueError) as error:
        on_done(None, str(error))


class FakeCamera:
    """Makes a small distinct image per shot, for tests and demos; ``fail`` makes it refuse."""

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.shots = 0

    def take(self, on_done: PhotoDone) -> None:
        if self.fail:
            on_done(None, self.fail)
            return
        self.shots += 1
        image = Image.new("RGB", (2400, 1800), (40 + 30 * self.shots % 200, 120, 90))
        ImageDraw.Draw(image).rectangle((200, 200, 900, 700), fill=(230, 230, 210))
        raw = io.BytesIO()
        image.save(raw, "PNG")
        on_done(reduce_and_hash(raw.getvalue()), None)


class DesktopCamera:
    """On a desktop, a photo is a picture file the user picks; ``choose`` opens the app's file
    chooser and calls back with the path (None when cancelled)."""

    def __init__(self, choose: Callable[[Callable[[str | None], None]], None]) -> None:
        self.choose = choose

    def take(self, on_done: PhotoDone) -> None:
        self.choose(lambda path: _from_file(path, on_done))


class AndroidCamera:
    """The system camera app through plyer; the picture goes through a FileProvider into the
    app's cache and is deleted once reduced."""

    def take(self, on_done: PhotoDone) -> None:
        from plyer import camera  # type: ignore[import-not-found]  # Android build only

        handle, name = tempfile.mkstemp(suffix=".jpg")
        os.close(handle)

        def complete(path: str) -> bool:
            _from_file(path, on_done)
            Path(name).unlink(missing_ok=True)
            return False

        camera.take_picture(filename=name, on_complete=complete)
