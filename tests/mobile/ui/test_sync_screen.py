"""The sync screen with the real engine against the real server on a loopback port, under
Xvfb; the screenshot shows the bars, the message and a conflict with both versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui


def test_a_sync_started_on_the_sync_screen_reaches_a_real_server(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    """A survey filled offline and an edit that crossed the office's go out from the sync
    screen through the real engine to the real server on a loopback port."""
    # The server loads only when this test runs, not whenever tests/mobile is collected.
    from sqlalchemy import select

    from mobile.facades.camera import FakeCamera
    from mobile.sync.bridge import EngineSync, sync_store
    from server.households.models import Classification, Household
    from server.surveys.models import Survey
    from tests.contract.tablet_world import (
        PASSWORD,
        USERNAME,
        fill_review,
        serve,
        signed_in_tablet,
    )

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
                select(Classification.household_class)
                .join(Survey, Classification.survey_id == Survey.id)
                .join(Household, Survey.household_id == Household.id)
                .where(Household.code == "VL-KP2-0017")
            ).all()
    assert str(result["sync_message"]).startswith("Đồng bộ xong: gửi 2")
    assert result["conflicts"] == ["VL-KP2-0003"]
    assert classes == [(previewed,)]
    assert "vừa xong" in str(result["last_sync"])
