"""The sync file: an outbox that queues each record once and keeps refusals, a working set
that tombstones remove, and sealed contents when a sealing codec is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobile.store.crypto import WrongSecret, new_data_key
from mobile.sync.bridge import SealedJson
from mobile.sync.store import Store


def test_queueing_a_record_again_keeps_the_first() -> None:
    store = Store(":memory:")
    record_id = store.queue_survey({"household_id": 1, "answers": {"a": 1}}, "r-1")
    assert store.queue_survey({"household_id": 1, "answers": {"a": 2}}, "r-1") == record_id
    (only,) = store.outbox()
    assert only.body["answers"] == {"a": 1}


def test_outcomes_settle_records_and_refusals_stay_visible() -> None:
    store = Store(":memory:")
    ok = store.queue_survey({"household_id": 1})
    bad = store.queue_survey({"household_id": 2})
    store.settle(
        [
            {"id": ok, "status": 201, "result": "applied"},
            {"id": bad, "status": 404, "result": "refused", "error": "not_found"},
        ]
    )
    states = {r.id: (r.state, (r.outcome or {}).get("error")) for r in store.outbox()}
    assert states == {ok: ("done", None), bad: ("refused", "not_found")}
    assert store.pending(10) == []


def test_a_pulled_outcome_settles_a_record_whose_answer_was_lost() -> None:
    store = Store(":memory:")
    record_id = store.queue_survey({"household_id": 1})
    store.apply([{"e": "outcome", "k": record_id, "v": 9, "d": {"result": "applied"}}], "c1")
    assert store.outbox()[0].state == "done"
    assert store.get("cursor") == "c1"


def test_a_hamlet_tombstone_removes_what_the_tablet_held_of_it() -> None:
    store = Store(":memory:")
    store.apply(
        [
            {"e": "hamlet", "k": "1", "v": 0, "d": {"name": "Thôn 1"}},
            {"e": "household", "k": "5", "v": 3, "d": {"hamlet_id": 1, "code": "A"}},
            {"e": "review_case", "k": "8", "v": 4, "d": {"hamlet_id": 1, "state": "listed"}},
        ],
        "c1",
    )
    assert set(store.entities("review_case")) == {"8"}  # an unknown kind is kept as it came
    assert store.keys("household") == ["5"]
    store.apply([{"e": "hamlet", "k": "1", "v": 0, "d": None}], "c2")
    assert store.entities("household") == {}
    assert store.keys("household") == []
    assert store.entities("review_case") == {}


def test_a_sealed_sync_file_holds_nothing_readable(tmp_path: Path) -> None:
    key = new_data_key()
    path = tmp_path / "sync-1.sqlite3"
    store = Store(path, SealedJson(key))
    store.queue_survey({"answers": {"head_name": "Hoàng Văn Đức"}}, "r-1")
    store.apply([{"e": "household", "k": "5", "v": 3, "d": {"head_name": "Lò Thị Mai"}}], "c")
    assert store.outbox()[0].body["answers"]["head_name"] == "Hoàng Văn Đức"
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert "Hoàng".encode() not in raw
    assert "Lò Thị".encode() not in raw
    with pytest.raises(WrongSecret):
        Store(path, SealedJson(new_data_key())).outbox()
