"""Photos reduced on the tablet before upload: EXIF orientation applied, longest side 1600 px,
JPEG no larger than needed, the GPS location kept in the EXIF."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

LONGEST_SIDE = 1600
TARGET_BYTES = 200_000
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ReducedPhoto:
    sha256: str
    path: Path
    size: int
    width: int
    height: int


def reduce_photo(source: Path, folder: Path, longest_side: int = LONGEST_SIDE) -> ReducedPhoto:
    """Write a reduced JPEG of ``source`` into ``folder`` named by its SHA-256 and return it:
    upright, at most ``longest_side`` pixels, quality lowered step by step until it fits
    TARGET_BYTES (never below 50, then smaller, down to 800 px), with the camera's GPS block
    kept."""
    data, width, height = reduce_picture(source.read_bytes(), longest_side)
    sha256 = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}.jpg"
    path.write_bytes(data)
    return ReducedPhoto(sha256, path, len(data), width, height)


def reduce_picture(raw: bytes, longest_side: int = LONGEST_SIDE) -> tuple[bytes, int, int]:
    """Return the reduced JPEG of the picture in ``raw`` (as ``reduce_photo`` makes it) with its
    width and height. Raises ``OSError`` for bytes that are not a picture."""
    with Image.open(io.BytesIO(raw)) as original:
        exif = original.getexif()
        upright = ImageOps.exif_transpose(original)
        assert upright is not None
        upright = upright.convert("RGB")
    upright.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    kept = Image.Exif()
    gps = exif.get_ifd(_GPS_IFD)
    if gps:
        kept[_GPS_IFD] = gps
    data = _encode(upright, kept)
    # A very detailed scene may not fit at the floor quality: shrink until it does.
    while len(data) > TARGET_BYTES and max(upright.size) > 800:
        upright = upright.resize(
            (upright.width * 7 // 8, upright.height * 7 // 8), Image.Resampling.LANCZOS
        )
        data = _encode(upright, kept)
    return data, upright.width, upright.height


def _encode(image: Image.Image, exif: Image.Exif) -> bytes:
    """Return the JPEG at the highest quality step that fits TARGET_BYTES, else the lowest."""
    data = b""
    for quality in (82, 75, 68, 60, 50):
        buffer = io.BytesIO()
        image.save(
            buffer, "JPEG", quality=quality, optimize=True, progressive=True, exif=exif.tobytes()
        )
        data = buffer.getvalue()
        if len(data) <= TARGET_BYTES:
            break
    return data
