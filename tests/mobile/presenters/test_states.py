"""States that tell the truth: one survey per household and round, a finished survey
correctable until a sync takes it, the outbox with the server's reasons, local times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.presenters.clock import clock_text, moment_text
from mobile.presenters.detail import DetailPresenter
from mobile.presenters.form import FormPresenter
from mobile.presenters.home import HomePresenter
from mobile.presenters.outbox import OutboxPresenter
from mobile.store import Settings, UserStore
from mobile.sync.store import Store
from shared.forms import Form
from tests.mobile.presenters.test_lists import _hamlet

TODAY = date.today()


def _detail(store: UserStore) -> DetailPresenter:
    return DetailPresenter(store, 1, TODAY)


def test_a_sent_review_is_not_started_again_and_the_count_does_not_grow(
    store: UserStore,
) -> None:
    _hamlet(store)
    survey = store.new_survey(1, "household_review", 1)
    survey.state = "sent"
    store.save_survey(survey)
    before = HomePresenter(store).view().to_visit
    view = _detail(store).view()
    assert view.action == ""
    assert view.status == "Phiếu năm nay đã gửi, chờ xã duyệt."
    assert _detail(store).open_survey() is None
    assert HomePresenter(store).view().to_visit == before == 2


def test_a_returned_review_is_corrected_not_restarted(store: UserStore) -> None:
    _hamlet(store)
    survey = store.new_survey(1, "household_review", 1)
    survey.state = "returned"
    store.save_survey(survey)
    opened = _detail(store).open_survey()
    assert opened is not None
    assert opened.survey_id == survey.survey_id
    assert _detail(store).view().action == "Tiếp tục phiếu"


def test_a_finished_review_is_correctable_until_a_sync_takes_it(
    store: UserStore, survey_form: Form
) -> None:
    _hamlet(store)
    survey = store.new_survey(1, survey_form.id, survey_form.version)
    survey.state = "ready"
    store.save_survey(survey)
    assert _detail(store).view().action == "Sửa phiếu đã hoàn thành"
    opened = _detail(store).open_survey()
    assert opened is not None
    p = FormPresenter(survey_form, opened, store, FakeCamera(), FakeLocator())
    p.set_text("phone", "0912345678")
    assert store.survey(survey.survey_id).state == "draft"  # type: ignore[union-attr]
    assert p.notice.startswith("Phiếu đã mở lại")
    queued = store.survey(survey.survey_id)
    assert queued is not None
    queued.state, queued.survey_uuid = "ready", "a-queued-id"
    store.save_survey(queued)
    assert _detail(store).open_survey() is None
    assert _detail(store).view().status == "Phiếu năm nay đang được gửi lên xã."


def test_the_outbox_shows_waiting_refused_with_its_reason_and_sent(store: UserStore) -> None:
    _hamlet(store)
    ready = store.new_survey(2, "household_review", 1)
    ready.state = "ready"
    store.save_survey(ready)
    outbox = Store(":memory:")
    outbox.queue_survey({"household_id": 1, "form_id": "household_review"}, "s1")
    outbox.create_household(1, "TMP-1", "Vừ Thị Ly")
    outbox.queue_survey({"household_id": 3, "form_id": "household_review"}, "s3")
    outbox.settle(
        [
            {"id": "s1", "result": "accepted"},
            {
                "id": "s3",
                "result": "refused",
                "error": "validation_failed",
                "message": "x",
                "detail": {},
            },
        ]
    )
    view = OutboxPresenter(store, outbox.outbox()).view()
    assert view.counts == {"waiting": 2, "refused": 1, "sent": 1}
    titles = [(line.group, line.title) for line in view.lines]
    assert ("waiting", "Phiếu rà soát: KP-0002 · Lò Thị Mai") in titles
    assert ("waiting", "Hộ mới: Vừ Thị Ly") in titles
    assert ("sent", "Phiếu rà soát: KP-0001 · Hoàng Văn Đức") in titles
    refused = next(line for line in view.lines if line.group == "refused")
    assert refused.title == "Phiếu rà soát: KP-0003 · Đặng Văn Dũng"
    assert refused.detail
    assert "validation_failed" not in refused.detail
    store.delete_survey(ready.survey_id)
    empty = OutboxPresenter(store, []).view()
    assert empty.lines == ()
    assert empty.empty.startswith("Không có gì chờ gửi")


def test_times_show_in_the_tablets_zone() -> None:
    stamp = datetime(2026, 10, 15, 8, 28, tzinfo=UTC).isoformat()
    assert clock_text(stamp, "Asia/Ho_Chi_Minh") == "15:28"
    assert moment_text(stamp, "Asia/Ho_Chi_Minh") == "15/10/2026 15:28"
    assert clock_text(stamp, "Not/AZone") == "15:28"  # an unknown zone falls back
    assert clock_text(stamp, "UTC") == "08:28"


def test_the_time_zone_is_a_setting(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from mobile.presenters.settings import SettingsPresenter

    p = SettingsPresenter(Settings(db))
    assert p.view().timezone == "Asia/Ho_Chi_Minh"
    assert not p.save_timezone("Hanoi")
    assert p.save_timezone("Asia/Bangkok")
    assert p.view().timezone == "Asia/Bangkok"
