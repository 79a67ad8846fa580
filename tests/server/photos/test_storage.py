"""Each photo store takes uploads chunk by chunk from what it holds, verifies the whole
against its SHA-256, makes the thumbnail once when the photo is whole, and refuses what is no
photo; the S3 store is shared by several API hosts."""

from __future__ import annotations

import hashlib
import io
import random
from typing import Any

import pytest
from PIL import Image

from server.photos.storage import PhotoStore, S3PhotoStore, Stored
from shared.errors import ErrorCode, RasoatError

CHUNK = 4096


def _jpeg(width: int = 640, height: int = 480) -> bytes:
    rng = random.Random(width)
    image = Image.new("RGB", (width // 8, height // 8))
    image.putdata(
        [tuple(rng.randint(0, 255) for _ in range(3)) for _ in range(width * height // 64)]
    )
    buffer = io.BytesIO()
    image.resize((width, height)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _upload(store: PhotoStore, data: bytes, sha256: str, start: int = 0) -> Stored:
    stored = Stored(start, False)
    for offset in range(start, len(data), CHUNK):
        stored = store.write(sha256, offset, data[offset : offset + CHUNK], len(data))
    return stored


def test_an_upload_resumes_from_the_bytes_held_and_completes_verified(store: PhotoStore) -> None:
    data = _jpeg()
    sha256 = hashlib.sha256(data).hexdigest()
    assert store.state(sha256) == Stored(0, False)
    store.write(sha256, 0, data[:CHUNK], len(data))
    store.write(sha256, CHUNK, data[CHUNK : 2 * CHUNK], len(data))
    assert store.state(sha256) == Stored(2 * CHUNK, False)

    with pytest.raises(RasoatError) as gap:
        store.write(sha256, 3 * CHUNK, data[3 * CHUNK : 4 * CHUNK], len(data))
    assert gap.value.code is ErrorCode.UPLOAD_OFFSET
    assert gap.value.detail["received"] == 2 * CHUNK
    # A replayed chunk changes nothing.
    assert store.write(sha256, CHUNK, data[CHUNK : 2 * CHUNK], len(data)).received == 2 * CHUNK

    done = _upload(store, data, sha256, start=2 * CHUNK)
    assert done == Stored(len(data), True, 640, 480)
    assert store.state(sha256) == Stored(len(data), True)
    assert store.read(sha256) == data
    assert store.dimensions(sha256) == (640, 480)


def test_the_thumbnail_is_made_once_when_the_photo_is_whole(store: PhotoStore) -> None:
    data = _jpeg(1600, 1200)
    sha256 = hashlib.sha256(data).hexdigest()
    with pytest.raises(RasoatError) as missing:
        store.thumbnail(sha256)
    assert missing.value.code is ErrorCode.NOT_FOUND
    _upload(store, data, sha256)
    first = store.thumbnail(sha256)
    with Image.open(io.BytesIO(first)) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (320, 240)
    # Held already: complete at once, nothing written or made again.
    again = store.write(sha256, 0, data[:CHUNK], len(data))
    assert again.complete
    assert again.received == len(data)
    assert store.thumbnail(sha256) == first


def test_a_whole_that_does_not_match_its_hash_is_dropped(store: PhotoStore) -> None:
    data = _jpeg()
    sha256 = hashlib.sha256(data).hexdigest()
    damaged = data[:-10] + b"\x00" * 10
    with pytest.raises(RasoatError) as mismatch:
        _upload(store, damaged, sha256)
    assert mismatch.value.code is ErrorCode.PHOTO_MISMATCH
    assert store.state(sha256) == Stored(0, False)
    assert _upload(store, data, sha256).complete


def test_bytes_that_are_no_image_are_refused_and_dropped(store: PhotoStore) -> None:
    data = b"not a photo at all" * 400
    sha256 = hashlib.sha256(data).hexdigest()
    with pytest.raises(RasoatError) as refused:
        _upload(store, data, sha256)
    assert refused.value.code is ErrorCode.INVALID_REQUEST
    assert store.state(sha256) == Stored(0, False)


def test_an_image_declaring_too_many_pixels_is_refused_before_decoding(store: PhotoStore) -> None:
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")
    data = buffer.getvalue()
    sha256 = hashlib.sha256(data).hexdigest()
    with pytest.raises(RasoatError) as refused:
        store.write(sha256, 0, data, len(data))
    assert refused.value.code is ErrorCode.IMAGE_TOO_LARGE
    assert store.state(sha256) == Stored(0, False)


def test_without_reuse_a_held_photo_is_received_whole_again(store: PhotoStore) -> None:
    data = _jpeg()
    sha256 = hashlib.sha256(data).hexdigest()
    _upload(store, data, sha256)
    first = store.write(sha256, 0, data[:CHUNK], len(data), reuse=False)
    assert first == Stored(CHUNK, False)


def test_two_api_hosts_continue_each_others_upload(s3_client: Any, bucket: str) -> None:
    data = _jpeg()
    sha256 = hashlib.sha256(data).hexdigest()
    first, second = S3PhotoStore(s3_client, bucket), S3PhotoStore(s3_client, bucket)
    first.write(sha256, 0, data[:CHUNK], len(data))
    assert second.state(sha256) == Stored(CHUNK, False)
    assert _upload(second, data, sha256, start=CHUNK).complete
    assert first.read(sha256) == data
    listed = s3_client.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(item["Key"] for item in listed) == sorted(
        [f"photos/{sha256[:2]}/{sha256}.jpg", f"photos/{sha256[:2]}/{sha256}.thumb.jpg"]
    )
