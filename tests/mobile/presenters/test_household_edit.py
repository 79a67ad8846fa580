"""The household screen's corrections: a member's birth date, sex and relation corrected and a
member added to a household already on the server, each as an edit path of the sync outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mobile.presenters.household_edit import HouseholdEditPresenter
from mobile.store import Hamlet, UserStore
from mobile.sync.store import Store
from tests.mobile.presenters.test_new_households import PULLED


@pytest.fixture
def outbox(store: UserStore, tmp_path: Path) -> Iterator[Store]:
    """A sync file holding household 5 as pulled, and the same household on the tablet; the
    screen opens and closes the file on each save, as the app does."""
    from mobile.sync.bridge import Receiver

    found = Store(str(tmp_path / "sync.sqlite3"))
    store.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")])
    items = [{"e": "household", "k": "5", "v": 3, "d": PULLED}]
    found.apply(items, "")
    Receiver(store, found).apply(items)
    yield found
    found.close()


def _editing(store: UserStore, folder: Path) -> HouseholdEditPresenter:
    return HouseholdEditPresenter(
        store, lambda: Store(str(folder / "sync.sqlite3")), "edit", household_id=5
    )


def test_a_members_birth_date_sex_and_relation_are_corrected(
    store: UserStore,
    outbox: Store,
    tmp_path: Path,
) -> None:
    p = _editing(store, tmp_path)
    nam = p.draft.members[1]
    assert (nam.birth_date, nam.sex, nam.relation) == ("", "male", "child")
    nam.birth_date = "03/04/2012"
    thu = p.draft.members[2]
    thu.sex, thu.relation = "female", "spouse"
    saved = p.save()
    assert saved is not None
    assert outbox.outbox()[-1].body["set"] == {
        "members/2/birth_date": "2012-04-03",
        "members/3/relation": "spouse",
    }
    assert saved.members[1]["birth_date"] == "2012-04-03"
    assert saved.members[2]["relation"] == "spouse"
    # Opened again, the screen shows the corrected birth date as people write it.
    assert _editing(store, tmp_path).draft.members[1].birth_date == "03/04/2012"


def test_a_member_is_added_to_a_household_on_the_server(
    store: UserStore,
    outbox: Store,
    tmp_path: Path,
) -> None:
    p = _editing(store, tmp_path)
    p.add_member("Hoàng Thị Mai")
    mai = p.draft.members[-1]
    mai.birth_date, mai.sex, mai.relation = "01/02/2026", "female", "grandchild"
    saved = p.save()
    assert saved is not None
    assert outbox.outbox()[-1].body["set"] == {
        "members/4": {
            "full_name": "Hoàng Thị Mai",
            "birth_date": "2026-02-01",
            "sex": "female",
            "relation": "grandchild",
        }
    }
    assert [m["full_name"] for m in saved.members][-1] == "Hoàng Thị Mai"


def test_a_birth_date_that_is_no_date_is_said_and_nothing_is_queued(
    store: UserStore,
    outbox: Store,
    tmp_path: Path,
) -> None:
    queued = len(outbox.outbox())
    p = _editing(store, tmp_path)
    p.draft.members[0].birth_date = "31/02/1980"
    assert p.save() is None
    assert p.message == "Ngày không hợp lệ, nhập ngày/tháng/năm"
    assert len(outbox.outbox()) == queued
