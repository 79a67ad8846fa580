"""Photos: content-addressed by SHA-256, uploaded in chunks that resume from the bytes the
server holds, verified when whole, stored once, with a thumbnail for lists."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.photos.storage import THUMBNAIL_SIDE
from server.sync.models import Photo
from tests.server.conftest import World
from tests.server.sync.conftest import login

CHUNK = 16 * 1024


def _jpeg(seed: int, width: int = 640, height: int = 480) -> bytes:
    """Return a noisy JPEG (noise keeps it large enough for several chunks)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    image.putdata([(rng.randrange(256), rng.randrange(256), 90) for _ in range(width * height)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def photo() -> bytes:
    data = _jpeg(1)
    assert len(data) > 3 * CHUNK
    return data


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _held(client: TestClient, device: dict[str, str], sha256: str) -> Any:
    response = client.get(f"/api/v1/sync/photos/{sha256}", headers=device)
    assert response.status_code == 200, response.json()
    return response.json()


def _put(
    client: TestClient,
    device: dict[str, str],
    world: World,
    sha256: str,
    whole: bytes,
    offset: int,
    chunk: bytes,
) -> httpx.Response:
    response: httpx.Response = client.put(
        f"/api/v1/sync/photos/{sha256}",
        params={"household_id": world.households["A"].id, "offset": offset, "size": len(whole)},
        content=chunk,
        headers=device,
    )
    return response


def _upload(client: TestClient, device: dict[str, str], world: World, data: bytes) -> Any:
    """Send the whole photo chunk by chunk and return the last state."""
    sha256 = _sha(data)
    state: Any = None
    for offset in range(0, len(data), CHUNK):
        response = _put(client, device, world, sha256, data, offset, data[offset : offset + CHUNK])
        assert response.status_code == 200, response.json()
        state = response.json()
    return state


def _stored(session: Session, sha256: str) -> int:
    query = select(func.count()).select_from(Photo).where(Photo.sha256 == sha256)
    return session.scalar(query) or 0


def test_an_unknown_photo_is_held_from_byte_zero(
    client: TestClient, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator")
    assert _held(client, device, _sha(photo)) == {
        "sha256": _sha(photo),
        "size": None,
        "received": 0,
        "complete": False,
    }


def test_an_interrupted_upload_resumes_from_the_servers_offset(
    client: TestClient, session: Session, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    first = _put(client, device, world, sha256, photo, 0, photo[:CHUNK])
    assert first.json() == {
        "sha256": sha256,
        "size": len(photo),
        "received": CHUNK,
        "complete": False,
    }
    # The link drops mid-way through the second chunk: the tablet asks where to go on from.
    cut = CHUNK + CHUNK // 3
    _put(client, device, world, sha256, photo, CHUNK, photo[CHUNK:cut])
    resume_at = _held(client, device, sha256)["received"]
    assert resume_at == cut
    last = _put(client, device, world, sha256, photo, resume_at, photo[resume_at:])
    assert last.json() == {
        "sha256": sha256,
        "size": len(photo),
        "received": len(photo),
        "complete": True,
    }
    assert _held(client, device, sha256)["complete"] is True
    row = session.get(Photo, sha256)
    assert row is not None
    assert (row.size, row.width, row.height) == (len(photo), 640, 480)
    assert row.household_id == world.households["A"].id


def test_a_chunk_past_the_held_bytes_is_refused_with_the_servers_offset(
    client: TestClient, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    _put(client, device, world, sha256, photo, 0, photo[:CHUNK])
    skipped = _put(client, device, world, sha256, photo, 2 * CHUNK, photo[2 * CHUNK : 3 * CHUNK])
    assert skipped.status_code == 409
    assert skipped.json()["error"] == "upload_offset"
    assert skipped.json()["detail"]["received"] == CHUNK
    assert _held(client, device, sha256)["received"] == CHUNK


def test_a_replayed_chunk_changes_nothing(client: TestClient, world: World, photo: bytes) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    for _ in range(2):
        again = _put(client, device, world, sha256, photo, 0, photo[:CHUNK])
        assert again.json()["received"] == CHUNK
    # A retry overlapping what is held adds only the new bytes.
    overlap = _put(client, device, world, sha256, photo, CHUNK // 2, photo[CHUNK // 2 : 2 * CHUNK])
    assert overlap.json()["received"] == 2 * CHUNK
    rest = _put(client, device, world, sha256, photo, 2 * CHUNK, photo[2 * CHUNK :])
    assert rest.json()["complete"] is True


def test_bytes_that_do_not_hash_to_the_name_are_refused_and_dropped(
    client: TestClient, session: Session, world: World, photo: bytes, tmp_path: Path
) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    other = _jpeg(2)[: len(photo)]
    assert len(other) == len(photo)
    _put(client, device, world, sha256, photo, 0, other[:CHUNK])
    last = _put(client, device, world, sha256, photo, CHUNK, other[CHUNK:])
    assert last.status_code == 422
    assert last.json()["error"] == "photo_mismatch"
    assert _held(client, device, sha256)["received"] == 0
    assert _stored(session, sha256) == 0
    assert not list((tmp_path / "photos").rglob(f"{sha256}*"))
    # Sent again, the right bytes are taken from the start.
    assert _upload(client, device, world, photo)["complete"] is True


def test_the_same_photo_sent_twice_is_stored_once(
    client: TestClient, session: Session, world: World, photo: bytes, tmp_path: Path
) -> None:
    one = login(client, "enumerator", "tablet-one")
    two = login(client, "commune_officer", "tablet-two")
    sha256 = _sha(photo)
    _upload(client, one, world, photo)
    assert _held(client, two, sha256)["complete"] is True
    again = _put(client, two, world, sha256, photo, 0, photo)
    assert again.json() == {
        "sha256": sha256,
        "size": len(photo),
        "received": len(photo),
        "complete": True,
    }
    assert _stored(session, sha256) == 1
    assert [p.name for p in (tmp_path / "photos").rglob(f"{sha256}.jpg")] == [f"{sha256}.jpg"]


def test_a_complete_photo_has_a_small_jpeg_thumbnail(
    client: TestClient, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    missing = client.get(f"/api/v1/sync/photos/{sha256}/thumbnail", headers=device)
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    _upload(client, device, world, photo)
    thumbnail = client.get(f"/api/v1/sync/photos/{sha256}/thumbnail", headers=device)
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.format == "JPEG"
        assert max(image.size) == THUMBNAIL_SIDE
        assert image.size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE * 480 // 640)


def test_a_photo_of_a_household_outside_scope_is_refused(
    client: TestClient, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator_b")
    refused = _put(client, device, world, _sha(photo), photo, 0, photo[:CHUNK])
    assert (refused.status_code, refused.json()["error"]) == (403, "out_of_scope")
    assert _held(client, device, _sha(photo))["received"] == 0


def test_a_photo_outside_scope_answers_as_one_never_received(
    client: TestClient, world: World, photo: bytes
) -> None:
    owner = login(client, "enumerator", "tablet-one")
    stranger = login(client, "enumerator_b", "tablet-two")
    sha256 = _sha(photo)
    _upload(client, owner, world, photo)
    assert _held(client, stranger, sha256) == {
        "sha256": sha256,
        "size": None,
        "received": 0,
        "complete": False,
    }
    thumbnail = client.get(f"/api/v1/sync/photos/{sha256}/thumbnail", headers=stranger)
    assert (thumbnail.status_code, thumbnail.json()["error"]) == (404, "not_found")
    # Nor does an upload for a household of their own finish at once without the bytes.
    first = client.put(
        f"/api/v1/sync/photos/{sha256}",
        params={"household_id": world.households["B"].id, "offset": 0, "size": len(photo)},
        content=photo[:CHUNK],
        headers=stranger,
    )
    assert first.json()["complete"] is False
    assert first.json()["received"] == CHUNK


def _png_header(width: int, height: int) -> bytes:
    """Return a small PNG that declares ``width`` x ``height`` pixels (its pixels never
    decode: only the header is read before the refusal)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


@pytest.mark.parametrize("side", [12_000, 14_000])
def test_an_image_bomb_is_refused_from_its_header(
    client: TestClient, world: World, side: int
) -> None:
    device = login(client, "enumerator")
    bomb = _png_header(side, side)
    answer = _put(client, device, world, _sha(bomb), bomb, 0, bomb)
    assert (answer.status_code, answer.json()["error"]) == (413, "image_too_large")
    assert _held(client, device, _sha(bomb))["received"] == 0


def test_sizes_and_ids_beyond_the_limits_are_catalog_errors(
    client: TestClient, world: World, photo: bytes
) -> None:
    device = login(client, "enumerator")
    sha256 = _sha(photo)
    too_big = client.put(
        f"/api/v1/sync/photos/{sha256}",
        params={"household_id": world.households["A"].id, "offset": 0, "size": 10**9},
        content=photo[:CHUNK],
        headers=device,
    )
    assert (too_big.status_code, too_big.json()["error"]) == (413, "image_too_large")
    far = client.put(
        f"/api/v1/sync/photos/{sha256}",
        params={"household_id": 2**40, "offset": 0, "size": len(photo)},
        content=photo[:CHUNK],
        headers=device,
    )
    assert (far.status_code, far.json()["error"]) == (422, "invalid_request")
