"""Photo bytes named by their SHA-256, behind one interface: the data folder (the embedded
default, one host) or S3-compatible object storage (several API hosts). Uploads grow chunk by
chunk from what is held, the whole is verified against its hash before it takes its name, and
its thumbnail is made then, once."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PIL import Image

from shared.errors import ErrorCode, RasoatError

if TYPE_CHECKING:
    from server.settings import Settings

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


class PhotoStore(Protocol):
    """Where photos are kept. ``write`` adds ``chunk`` at ``offset`` of a photo of ``size``
    bytes and returns the new state; with ``reuse``, a photo already held is complete at
    once. It raises IMAGE_TOO_LARGE for more than MAX_PHOTO_BYTES or MAX_PIXELS,
    UPLOAD_OFFSET past the bytes held, PHOTO_MISMATCH when the whole does not hash to
    ``sha256`` (the partial is dropped), INVALID_REQUEST when it is not an image."""

    def state(self, sha256: str) -> Stored: ...

    def write(
        self, sha256: str, offset: int, chunk: bytes, size: int, reuse: bool = True
    ) -> Stored: ...

    def read(self, sha256: str) -> bytes: ...

    def thumbnail(self, sha256: str) -> bytes: ...

    def dimensions(self, sha256: str) -> tuple[int, int]: ...


@dataclass(frozen=True)
class Verified:
    width: int
    height: int
    thumbnail: bytes


def verify(sha256: str, data: bytes) -> Verified:
    """Return the size and thumbnail of a whole photo; raise PHOTO_MISMATCH when ``data``
    does not hash to ``sha256``, IMAGE_TOO_LARGE past MAX_PIXELS, INVALID_REQUEST when it is
    not an image."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RasoatError(ErrorCode.PHOTO_MISMATCH, sha256=sha256)
    try:
        # Opening reads the header only; pixels are decoded by thumbnail(). Pillow's own
        # bomb warning (past 89 MP) is a refusal here like its error (past 179 MP).
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_large(f"{width} x {height} px")
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            thumb = io.BytesIO()
            image.convert("RGB").save(thumb, "JPEG", quality=70)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(f"> {Image.MAX_IMAGE_PIXELS} px") from None
    except (OSError, ValueError) as exc:
        raise RasoatError(
            ErrorCode.INVALID_REQUEST, problem=f"the photo is not an image ({exc})"
        ) from None
    return Verified(width, height, thumb.getvalue())


def check_chunk(offset: int, chunk: bytes, size: int) -> None:
    """Raise IMAGE_TOO_LARGE for a photo past MAX_PHOTO_BYTES, INVALID_REQUEST for a chunk
    ending past the photo's size."""
    if size > MAX_PHOTO_BYTES:
        raise RasoatError(
            ErrorCode.IMAGE_TOO_LARGE, size=f"{size} bytes", limit=f"{MAX_PHOTO_BYTES} bytes"
        )
    if offset + len(chunk) > size:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="chunk ends past the photo size")


def dimensions_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    return width, height


class FolderPhotoStore:
    """Photos under ``root``: ``ab/abcdef….jpg``, its thumbnail beside it, partial uploads in
    ``partial/``, grown under a file lock."""

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
        """See PhotoStore.write."""
        if reuse and self.path(sha256).exists():
            return self.state(sha256)
        check_chunk(offset, chunk, size)
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
            data = partial.read_bytes()
            try:
                verified = verify(sha256, data)
            except RasoatError:
                partial.unlink()
                raise
            final = self.path(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            self.thumbnail_path(sha256).write_bytes(verified.thumbnail)
            os.replace(partial, final)
            return Stored(len(data), True, verified.width, verified.height)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def thumbnail(self, sha256: str) -> bytes:
        """Return the thumbnail's bytes; raise NOT_FOUND for a photo not held."""
        try:
            return self.thumbnail_path(sha256).read_bytes()
        except FileNotFoundError:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"photo {sha256}") from None

    def dimensions(self, sha256: str) -> tuple[int, int]:
        with Image.open(self.path(sha256)) as image:
            width, height = image.size
        return width, height


def _too_large(size: str) -> RasoatError:
    return RasoatError(ErrorCode.IMAGE_TOO_LARGE, size=size, limit=f"{MAX_PIXELS} px")


class S3PhotoStore:
    """Photos in an S3-compatible bucket, for several API hosts: ``{prefix}ab/abcdef….jpg``
    and its thumbnail beside it. A partial upload is one object per chunk under
    ``{prefix}partial/{sha256}/``, named by its offset: any host can take the next chunk,
    a replayed chunk rewrites the same object, and the bytes held are the chunks' contiguous
    run from 0. S3's own multipart upload does not fit: its parts are at least 5 MB, the
    tablet's chunks 256 KiB. The last chunk assembles the photo (at most MAX_PHOTO_BYTES),
    verifies it and writes the photo and its thumbnail; the chunks are then deleted."""

    def __init__(self, client: Any, bucket: str, prefix: str = "photos/") -> None:
        """``client``: a boto3 S3 client (untyped: boto3 ships no annotations)."""
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}.jpg"

    def thumbnail_key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}.thumb.jpg"

    def _chunk_prefix(self, sha256: str) -> str:
        return f"{self.prefix}partial/{sha256}/"

    def _size(self, key: str) -> int | None:
        """Return the size of the object ``key``, None when there is none."""
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=key, MaxKeys=1)
        for item in listed.get("Contents", []):
            if item["Key"] == key:
                return int(item["Size"])
        return None

    def _chunks(self, sha256: str) -> list[tuple[int, int, str]]:
        """Return (offset, size, key) of the chunks held, by offset."""
        found = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._chunk_prefix(sha256)):
            for item in page.get("Contents", []):
                offset = int(item["Key"].rsplit("/", 1)[1])
                found.append((offset, int(item["Size"]), item["Key"]))
        return sorted(found)

    @staticmethod
    def _held(chunks: list[tuple[int, int, str]]) -> int:
        held = 0
        for offset, size, _key in chunks:
            if offset > held:
                break
            held = max(held, offset + size)
        return held

    def state(self, sha256: str) -> Stored:
        """Return how many bytes are held and whether the photo is complete."""
        size = self._size(self.key(sha256))
        if size is not None:
            return Stored(size, True)
        return Stored(self._held(self._chunks(sha256)), False)

    def write(
        self, sha256: str, offset: int, chunk: bytes, size: int, reuse: bool = True
    ) -> Stored:
        """See PhotoStore.write."""
        if reuse and (held_size := self._size(self.key(sha256))) is not None:
            return Stored(held_size, True)
        check_chunk(offset, chunk, size)
        chunks = self._chunks(sha256)
        held = self._held(chunks)
        if offset > held:
            raise RasoatError(ErrorCode.UPLOAD_OFFSET, received=held)
        if offset + len(chunk) > held:
            key = f"{self._chunk_prefix(sha256)}{offset:012d}"
            self.client.put_object(Bucket=self.bucket, Key=key, Body=chunk)
            chunks = sorted([c for c in chunks if c[0] != offset] + [(offset, len(chunk), key)])
            held = max(held, offset + len(chunk))
        if held < size:
            return Stored(held, False)
        data = bytearray()
        for chunk_offset, _size, key in chunks:
            if chunk_offset > len(data):
                break
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            data += body[len(data) - chunk_offset :]
        whole = bytes(data[:size])
        try:
            verified = verify(sha256, whole)
        except RasoatError:
            self._drop(chunks)
            raise
        # The thumbnail first: a photo object is only there with its thumbnail.
        self.client.put_object(
            Bucket=self.bucket,
            Key=self.thumbnail_key(sha256),
            Body=verified.thumbnail,
            ContentType="image/jpeg",
        )
        self.client.put_object(
            Bucket=self.bucket, Key=self.key(sha256), Body=whole, ContentType="image/jpeg"
        )
        self._drop(chunks)
        return Stored(len(whole), True, verified.width, verified.height)

    def _drop(self, chunks: list[tuple[int, int, str]]) -> None:
        if chunks:
            self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for _o, _s, key in chunks], "Quiet": True},
            )

    def _get(self, key: str, sha256: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"photo {sha256}") from None
        return body

    def read(self, sha256: str) -> bytes:
        return self._get(self.key(sha256), sha256)

    def thumbnail(self, sha256: str) -> bytes:
        """Return the thumbnail's bytes; raise NOT_FOUND for a photo not held."""
        return self._get(self.thumbnail_key(sha256), sha256)

    def dimensions(self, sha256: str) -> tuple[int, int]:
        return dimensions_of(self.read(sha256))


def open_store(settings: Settings) -> PhotoStore:
    """Return the photo store the settings name: the bucket when ``photo_bucket`` is set
    (boto3 from the ``s3`` extra; credentials from the usual AWS_* variables or the host's
    role), else the data folder's ``photos/``."""
    if not settings.photo_bucket:
        return FolderPhotoStore(settings.data_dir / "photos")
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings.photo_endpoint_url or None,
        region_name=settings.photo_region or None,
    )
    return S3PhotoStore(client, settings.photo_bucket, settings.photo_prefix)


def store_of(state: Any) -> PhotoStore:
    """Return the app's photo store (``app.state``), opened from its settings on first use:
    one S3 client per process, as boto3 advises (its clients are thread-safe)."""
    store: PhotoStore | None = getattr(state, "photo_store", None)
    if store is None:
        store = state.photo_store = open_store(state.settings)
    return store
