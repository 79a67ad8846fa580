"""Photo bytes in the data folder, named by their SHA-256: partial uploads grow by chunks
under a file lock, complete ones are verified before they take their name."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from shared.errors import ErrorCode, RasoatError

THUMBNAIL_SIDE = 320
# The tablet sends photos reduced to 1,600 px and 200 KB; a phone's full photo of the minutes
# (48 MP at most) still fits. Checked from the header before any pixel is decoded: a 23 KB
# PNG can declare 14,000 x 14,000 pixels and take gigabytes to decode.
MAX_PHOTO_BYTES = 20_000_000
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Stored:
    received: int
    complete: bool
    width: int = 0
    height: int = 0


class PhotoStore:
    """Photos under ``root``: ``ab/abcdef….jpg``, its thumbnail beside it, partial uploads in
    ``partial/``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.jpg"

    def thumbnail_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.thumb.jpg"

    def _partial(self, sha256: str) -> Path:
        return self.root / "partial" / f"{sha256}.part"

    def state(self, sha256: str) -> Stored:
        """Return how many bytes are held and whether the photo is complete."""
        final = self.path(sha256)
        if final.exists():
            return Stored(final.stat().st_size, True)
        partial = self._partial(sha256)
        return Stored(partial.stat().st_size if partial.exists() else 0, False)

    def write(
        self, sha256: str, offset: int, chunk: bytes, size: int, reuse: bool = True
    ) -> Stored:
        """Add ``chunk`` at ``offset`` of a photo of ``size`` bytes and return the new state;
        with ``reuse``, a photo already held is complete at once. Raise IMAGE_TOO_LARGE for
        more than MAX_PHOTO_BYTES or MAX_PIXELS, UPLOAD_OFFSET past the bytes held,
        PHOTO_MISMATCH when the whole does not hash to ``sha256`` (the partial is dropped),
        INVALID_REQUEST when it is not an image."""
        if reuse and self.path(sha256).exists():
            return self.state(sha256)
        if size > MAX_PHOTO_BYTES:
            raise RasoatError(
                ErrorCode.IMAGE_TOO_LARGE, size=f"{size} bytes", limit=f"{MAX_PHOTO_BYTES} bytes"
            )
        if offset + len(chunk) > size:
            raise RasoatError(ErrorCode.INVALID_REQUEST, problem="chunk ends past the photo size")
        partial = self._partial(sha256)
        partial.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("ab") as handle:
            # Retried and replayed chunks of one photo may arrive together.
            fcntl.flock(handle, fcntl.LOCK_EX)
            if reuse and self.path(sha256).exists():
                return self.state(sha256)
            held = os.fstat(handle.fileno()).st_size
            if offset > held:
                raise RasoatError(ErrorCode.UPLOAD_OFFSET, received=held)
            if offset + len(chunk) > held:
                handle.write(chunk[held - offset :])
                handle.flush()
            held = max(held, offset + len(chunk))
            if held < size:
                return Stored(held, False)
            return self._finish(sha256, partial)

    def _finish(self, sha256: str, partial: Path) -> Stored:
        data = partial.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            partial.unlink()
            raise RasoatError(ErrorCode.PHOTO_MISMATCH, sha256=sha256)
        try:
            # Opening reads the header only; pixels are decoded by thumbnail(). Pillow's own
            # bomb warning (past 89 MP) is a refusal here like its error (past 179 MP).
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
            with image:
                width, height = image.size
                if width * height <= MAX_PIXELS:
                    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
                    thumb = io.BytesIO()
                    image.convert("RGB").save(thumb, "JPEG", quality=70)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            partial.unlink()
            raise _too_large(f"> {Image.MAX_IMAGE_PIXELS} px") from None
        except (OSError, ValueError) as exc:
            partial.unlink()
            raise RasoatError(
                ErrorCode.INVALID_REQUEST, problem=f"the photo is not an image ({exc})"
            ) from None
        if width * height > MAX_PIXELS:
            partial.unlink()
            raise _too_large(f"{width} x {height} px")
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.thumbnail_path(sha256).write_bytes(thumb.getvalue())
        os.replace(partial, final)
        return Stored(len(data), True, width, height)

    def dimensions(self, sha256: str) -> tuple[int, int]:
        with Image.open(self.path(sha256)) as image:
            width, height = image.size
        return width, height


def _too_large(size: str) -> RasoatError:
    return RasoatError(ErrorCode.IMAGE_TOO_LARGE, size=size, limit=f"{MAX_PIXELS} px")
