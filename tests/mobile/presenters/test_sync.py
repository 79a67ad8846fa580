"""The sync screen's behaviour over the sync port."""

from __future__ import annotations

from mobile.presenters.sync import SyncPresenter
from mobile.sync_port import Conflict, Failure, FakeSync, Outcome, Phase


def run(outcome: Outcome) -> tuple[SyncPresenter, list[Outcome]]:
    recorded: list[Outcome] = []
    p = SyncPresenter(FakeSync(outcome), recorded.append, background=False)
    assert p.start()
    return p, recorded


def test_each_phase_has_its_own_progress() -> None:
    p, recorded = run(Outcome(ok=True, sent=2, received=5))
    view = p.view()
    assert [ph.title for ph in view.phases] == ["Gửi phiếu", "Gửi ảnh", "Nhận cập nhật"]
    assert all(ph.fraction == 1.0 for ph in view.phases)
    assert view.phases[1].text == "3/3 · 3 kB/3 kB"
    assert view.message == "Đồng bộ xong: gửi 2, nhận 5."
    assert recorded == [Outcome(ok=True, sent=2, received=5)]


def test_failures_are_said_plainly() -> None:
    p, _ = run(Outcome(ok=False, failure=Failure.OFFLINE))
    assert p.view().ok is False
    assert "Dữ liệu vẫn an toàn trên máy" in p.view().message
    p, _ = run(Outcome(ok=False, failure=Failure.DEVICE_REVOKED))
    assert "thu hồi" in p.view().message


def test_an_engine_crash_is_a_failure_not_a_crash() -> None:
    class Broken:
        def start(self, progress):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    recorded: list[Outcome] = []
    p = SyncPresenter(Broken(), recorded.append, background=False)
    p.start()
    assert recorded[0].failure == Failure.SERVER
    assert not p.running


def test_conflicts_show_both_versions_of_what_differs() -> None:
    conflict = Conflict(
        "KP-0001",
        "Phiếu rà soát",
        {"head_name": "Hoàng Văn Đức", "floor": 36},
        {"head_name": "Hoàng Văn Đức", "floor": 42},
    )
    p, _ = run(Outcome(ok=True, conflicts=(conflict,)))
    (shown,) = p.view().conflicts
    assert shown.rows == (("floor", "36", "42"),)


def test_a_second_start_while_running_is_ignored() -> None:
    p = SyncPresenter(FakeSync(), lambda _o: None, background=False)
    p.running = True
    assert not p.start()


def test_progress_before_any_report_is_waiting() -> None:
    p = SyncPresenter(FakeSync(), lambda _o: None)
    assert [ph.text for ph in p.view().phases] == ["Chưa bắt đầu"] * 3
    assert p.view().phases[0].phase == Phase.SEND_RECORDS


def test_conflicting_fields_are_named_in_people_s_words_and_the_officer_settles_them() -> None:
    conflict = Conflict(
        "VL-KP2-0003",
        "Thông tin hộ",
        {"address": "Xóm Bó Mạ", "members/2": {"full_name": "Lò Thị Mai", "sex": None}},
        {"address": "Nhà 3", "members/2/birth_date": "1982-08-10"},
    )
    p, _ = run(Outcome(ok=True, conflicts=(conflict,)))
    view = p.view()
    assert view.conflicts[0].rows == (
        ("Địa chỉ", "Xóm Bó Mạ", "Nhà 3"),
        ("Thành viên 2", "Lò Thị Mai", "—"),
        ("Thành viên 2: Ngày sinh", "—", "1982-08-10"),
    )
    assert "Cán bộ xã" in view.conflict_note
    assert run(Outcome(ok=True))[0].view().conflict_note == ""


def test_the_summary_counts_the_photos_sent() -> None:
    p, _ = run(Outcome(ok=True, sent=3, received=0, photos=2))
    assert p.view().message == "Đồng bộ xong: gửi 1 và 2 ảnh, nhận 0."
