"""The app keeps the tablets' photos where its settings say: with RASOAT_PHOTO_BUCKET, in the
S3 bucket (resumed, verified, thumbnail served from the bucket), and nothing in the data
folder."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Connection

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import World, _factory, login
from tests.server.photos.test_storage import CHUNK, _jpeg


def test_photos_go_to_the_bucket_the_settings_name(
    settings: Settings,
    connection: Connection,
    world: World,
    tmp_path: Path,
    s3_endpoint: str,
    s3_client: Any,
    bucket: str,
) -> None:
    configured = settings.model_copy(
        update={"data_dir": tmp_path, "photo_bucket": bucket, "photo_endpoint_url": s3_endpoint}
    )
    data = _jpeg(1600, 1200)
    sha256 = hashlib.sha256(data).hexdigest()
    with TestClient(create_app(configured, _factory(connection))) as client:
        device = login(client, "enumerator")
        url = f"/api/v1/sync/photos/{sha256}"
        params = {"household_id": world.households["A"].id, "size": len(data)}
        first = client.put(url, params=params | {"offset": 0}, content=data[:CHUNK], headers=device)
        assert first.json()["received"] == CHUNK
        assert client.get(url, headers=device).json()["received"] == CHUNK
        for offset in range(CHUNK, len(data), CHUNK):
            last = client.put(
                url,
                params=params | {"offset": offset},
                content=data[offset : offset + CHUNK],
                headers=device,
            )
        assert last.json()["complete"] is True
        thumbnail = client.get(f"{url}/thumbnail", headers=device)
    assert thumbnail.status_code == 200
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.size == (320, 240)
    held = s3_client.get_object(Bucket=bucket, Key=f"photos/{sha256[:2]}/{sha256}.jpg")
    assert held["Body"].read() == data
    assert not (tmp_path / "photos").exists()
