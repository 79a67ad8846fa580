"""The real app under Xvfb, each run in its own process (so one can be killed mid-form).

Screenshots of every screen land in ``$RASOAT_SCREENSHOTS`` (default: the test's tmp dir).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from mobile.facades.camera import FakeCamera
from mobile.sync.bridge import EngineSync, sync_store
from server.households.models import Household
from server.surveys.models import Submission
from tests.contract.tablet_world import (
    PASSWORD,
    USERNAME,
    fill_review,
    serve,
    signed_in_tablet,
)

pytestmark = pytest.mark.ui

DRIVER = Path(__file__).parents[1] / "ui_driver.py"
ROOT = Path(__file__).parents[3]


def drive(
    display: str,
    scenario: str,
    data: Path,
    shots: Path,
    size: str = "1280x800",
    extra_env: dict[str, str] | None = None,
) -> tuple[int, dict[str, object]]:
    env = {
        **os.environ,
        **(extra_env or {}),
        "DISPLAY": display,
        "PYTHONPATH": str(ROOT),
        "KIVY_NO_ARGS": "1",
        "KIVY_LOG_MODE": "PYTHON",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_AUDIO": "",
    }
    done = subprocess.run(
        [sys.executable, str(DRIVER), scenario, str(data), str(shots), size],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    result = shots / "result.json"
    found = json.loads(result.read_text()) if result.exists() else {}
    if done.returncode not in (0, 9):
        print(done.stdout[-3000:], done.stderr[-3000:])
    return done.returncode, found


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("RASOAT_SCREENSHOTS")
    return Path(where) if where else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def portrait_display() -> Iterator[str]:
    """A private X display of 800×1280, for the portrait screenshots."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    display = f":{500 + os.getpid() % 400}"
    proc = subprocess.Popen(
        [xvfb, display, "-screen", "0", "800x1280x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    yield display
    proc.terminate()
    proc.wait(timeout=10)


def test_an_enumerator_fills_a_household_of_four_and_syncs(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    code, result = drive(x_display, "fill", tmp_path / "data", shots / "landscape")
    assert code == 0
    assert result["preview_class"] == "Hộ nghèo"
    assert result["errors"] == []
    assert result["sync_message"] == "Đồng bộ xong: gửi 1, nhận 0."
    assert len(result["shots"]) == 11  # type: ignore[arg-type]


def test_a_draft_survives_the_app_being_killed(x_display: str, tmp_path: Path, shots: Path) -> None:
    data = tmp_path / "data"
    code, killed = drive(x_display, "kill", data, tmp_path / "killed")
    assert code == 9, "the app was meant to die mid-form"
    code, resumed = drive(x_display, "resume", data, shots / "resumed")
    assert code == 0
    assert resumed["review_id"] == killed["review_id"]
    assert resumed["names"] == ["Hoàng Văn Đức", "Lò Thị Mai", "Hoàng Thị Lan", "Hoàng Văn Minh"]
    assert resumed["position"]["page"] == 1  # type: ignore[index]
    assert resumed["preview_class"] == "Hộ nghèo"


def test_the_screens_fit_a_portrait_tablet(
    portrait_display: str, tmp_path: Path, shots: Path
) -> None:
    code, result = drive(
        portrait_display, "fill", tmp_path / "data", shots / "portrait", "800x1280"
    )
    assert code == 0
    assert result["preview_class"] == "Hộ nghèo"


def test_a_sync_started_on_the_sync_screen_reaches_a_real_server(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    """A review filled offline and an edit that crossed the office's go out from the sync
    screen through the real engine to the real server on a loopback port."""
    with serve(tmp_path) as served:
        tablet = signed_in_tablet(tmp_path / "tablet", served.url)
        account = tablet.user_store().account
        assert EngineSync(tablet.data_dir, account, tablet.http()).start(lambda _p: None).ok
        _, previewed, _ = fill_review(tablet, FakeCamera(), "VL-KP2-0017")
        with served.sessions() as session:
            crossed = session.scalars(
                select(Household).where(Household.code == "VL-KP2-0003")
            ).one()
            outbox = sync_store(tablet.data_dir, account)
            outbox.edit_household(crossed.id, {"address": "Xóm Bó Mạ, nhà 3 (cổng mới)"})
            outbox.close()
            crossed.address = "Nhà 3, đường liên thôn"
            session.commit()
        tablet.http().close()
        tablet.db.close()
        code, result = drive(
            x_display,
            "sync",
            tablet.data_dir,
            shots / "sync",
            extra_env={"RASOAT_UI_USER": USERNAME, "RASOAT_UI_SECRET": PASSWORD},
        )
        assert code == 0
        with served.sessions() as session:
            classes = session.execute(
                select(Submission.result["class"].as_string())
                .join(Household, Submission.household_id == Household.id)
                .where(Household.code == "VL-KP2-0017")
            ).all()
    assert str(result["sync_message"]).startswith("Đồng bộ xong: gửi 2, nhận ")
    assert result["conflicts"] == ["VL-KP2-0003"]
    assert classes == [(previewed,)]
    assert "vừa xong" in str(result["last_sync"])
