"""Households changed offline: a new one with a temporary code, a split, corrections; each a
record of the sync outbox, shown on the tablet at once, and adopted under the server's id."""

from __future__ import annotations

import pytest

from mobile import new_households
from mobile.store import Hamlet, UserStore
from mobile.sync.store import Store

PULLED = {
    "code": "KP-0005",
    "hamlet_id": 1,
    "head_name": "Hoàng Văn Đức",
    "address": "Xóm Nà Khoang",
    "members": [
        {"member_no": "1", "full_name": "Hoàng Văn Đức", "relation": "head", "sex": "male"},
        {"member_no": "2", "full_name": "Hoàng Văn Nam", "relation": "child", "sex": "male"},
        {"member_no": "3", "full_name": "Lò Thị Thu", "relation": "other", "sex": "female"},
    ],
}


@pytest.fixture
def outbox(store: UserStore) -> Store:
    """A sync file holding household 5 as pulled, and the same household on the tablet."""
    from mobile.sync.bridge import Receiver

    found = Store(":memory:")
    store.save_hamlets([Hamlet(1, "Thôn Khuổi Phầy 2", "Xã Tân Lập")])
    items = [{"e": "household", "k": "5", "v": 3, "d": PULLED}]
    found.apply(items, "")
    Receiver(store, found).apply(items)
    return found


def test_a_new_household_gets_a_temporary_code_and_waits_in_the_outbox(
    store: UserStore, outbox: Store
) -> None:
    made = new_households.create(store, outbox, 1, "Vừ Thị Ly", "Xóm Bó Mạ")
    assert made.temporary
    assert made.code.startswith("MOI-")
    assert store.household(made.household_id) == made
    record = outbox.outbox()[-1]
    assert record.kind == "household.create"
    assert record.body["members"] == [
        {"member_no": "1", "full_name": "Vừ Thị Ly", "relation": "head"}
    ]
    assert store.household_counts() == {1: 2}


def test_a_split_moves_members_to_the_new_household(store: UserStore, outbox: Store) -> None:
    made = new_households.split(store, outbox, 5, ["2", "3"])
    assert made.head_name == "Hoàng Văn Nam"
    assert [m["full_name"] for m in made.members] == ["Hoàng Văn Nam", "Lò Thị Thu"]
    assert made.members[0]["relation"] == "head"
    source = store.household(5)
    assert source is not None
    assert [m["full_name"] for m in source.members] == ["Hoàng Văn Đức"]
    edit, create = outbox.outbox()[-2:]
    assert edit.kind == "household.edit"
    assert edit.body["set"] == {"members/2": None, "members/3": None}
    assert edit.body["base"]["members/2"]["full_name"] == "Hoàng Văn Nam"
    assert create.kind == "household.create"


def test_details_and_members_are_corrected_through_the_edit_path(
    store: UserStore, outbox: Store
) -> None:
    changed = new_households.edit(
        store, outbox, 5, {"address": "Xóm Bó Mạ, nhà 3", "members/3/full_name": "Lò Thị Thủy"}
    )
    assert changed.address == "Xóm Bó Mạ, nhà 3"
    assert changed.members[2]["full_name"] == "Lò Thị Thủy"
    assert outbox.outbox()[-1].body["base"] == {
        "address": "Xóm Nà Khoang",
        "members/3/full_name": "Lò Thị Thu",
    }


def test_a_household_not_yet_synced_cannot_be_edited(store: UserStore, outbox: Store) -> None:
    made = new_households.create(store, outbox, 1, "Vừ Thị Ly")
    with pytest.raises(new_households.NotSyncedYet):
        new_households.edit(store, outbox, made.household_id, {"address": "x"})


def test_the_servers_answer_gives_the_household_its_id_and_its_review_follows(
    store: UserStore, outbox: Store
) -> None:
    made = new_households.create(store, outbox, 1, "Vừ Thị Ly")
    survey = store.new_survey(made.household_id, "household_review", 1)
    outbox.settle(
        [{"id": made.pending_create, "result": "applied", "household_id": 901, "version": 9}]
    )
    assert new_households.adopt_created(store, outbox) == 1
    adopted = store.household(901)
    assert adopted is not None
    assert adopted.code == made.code
    assert not adopted.temporary
    assert store.household(made.household_id) is None
    moved = store.survey(survey.survey_id)
    assert moved is not None
    assert moved.household_id == 901


def test_a_refused_household_keeps_the_reason(store: UserStore, outbox: Store) -> None:
    made = new_households.create(store, outbox, 1, "Vừ Thị Ly")
    outbox.settle(
        [{"id": made.pending_create, "result": "refused", "error": "x", "message": "Hết phạm vi"}]
    )
    assert new_households.adopt_created(store, outbox) == 0
    kept = store.household(made.household_id)
    assert kept is not None
    assert kept.comments == ["Hết phạm vi"]
