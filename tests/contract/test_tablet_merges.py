"""A hamlet merged while a tablet holds drafts in it (issue 20): the real tablet (sealed store,
sync engine, form presenters) against the real server on a loopback port. The enumerator of
the old hamlet has a survey filled and not sent, a survey begun, and a household registered
offline; the commune merges her hamlet with its neighbour; her next sync sends all of it into
the merged hamlet, and the tablet shows the merged hamlet with every household and draft."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from mobile import new_households
from mobile.context import AppContext
from mobile.facades.camera import FakeCamera
from mobile.sync.bridge import EngineSync, sync_store
from server.audit.service import SYSTEM
from server.geography.merges import MergeRequest
from server.geography.models import Hamlet
from server.households.models import Classification, Household
from server.reorganisation import merge
from server.surveys.models import Survey
from tests.contract.tablet_world import Served, fill_review, serve, signed_in_tablet

MERGED = "Thôn Khuổi Phầy"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as found:
        yield found


@pytest.fixture
def tablet(served: Served, tmp_path: Path) -> Iterator[AppContext]:
    context = signed_in_tablet(tmp_path / "tablet", served.url)
    yield context
    context.http().close()


def test_drafts_in_a_merged_hamlet_sync_into_the_merged_one(
    served: Served, tablet: AppContext
) -> None:
    account = tablet.user_store().account
    assert EngineSync(tablet.data_dir, account, tablet.http()).start(lambda _p: None).ok
    store = tablet.user_store()
    (old,) = store.hamlets()
    filled, previewed, _ = fill_review(tablet, FakeCamera(), "VL-KP2-0017")
    begun = next(h for h in store.households(old.hamlet_id) if h.code == "VL-KP2-0003")
    draft = tablet.start_survey(begun.household_id)
    store.save_survey(draft)
    registered = new_households.create(
        store, sync_store(tablet.data_dir, account), old.hamlet_id, "Vừ Thị Ly", "Xóm Bó Mạ"
    )
    newcomer = tablet.start_survey(registered.household_id)
    store.save_survey(newcomer)

    with served.sessions() as session:
        parts = session.scalars(select(Hamlet).where(Hamlet.code.in_(["KP2", "NK"]))).all()
        made = merge(
            session, None, SYSTEM, MergeRequest(tuple(h.id for h in parts), date.today(), MERGED)
        )
        merged_id = made.done.hamlet.id
        session.commit()

    outcome = tablet.sync_port().start(lambda _p: None)
    assert outcome.ok, outcome
    assert outcome.rejected == 0

    with served.sessions() as session:
        surveyed = session.scalars(select(Household).where(Household.code == "VL-KP2-0017")).one()
        assert surveyed.hamlet_id == merged_id
        (held,) = session.scalars(select(Survey).where(Survey.household_id == surveyed.id))
        held_class = session.scalars(
            select(Classification.household_class).where(
                Classification.survey_id == held.id, Classification.source == "survey"
            )
        ).one()
        assert held_class == previewed
        new = session.scalars(select(Household).where(Household.head_name == "Vừ Thị Ly")).one()
        assert new.hamlet_id == merged_id

    store = tablet.user_store()
    assert [(h.hamlet_id, h.name) for h in store.hamlets()] == [(merged_id, MERGED)]
    assert store.household_counts() == {merged_id: 42}
    sent = store.survey(filled)
    assert sent is not None
    assert sent.state == "sent"
    kept = store.survey(draft.survey_id)
    assert kept is not None
    assert kept.state == draft.state
    moved = store.household(begun.household_id)
    assert moved is not None
    assert moved.hamlet_id == merged_id
    # The survey begun on the household registered offline followed it to the server's id.
    followed = store.survey(newcomer.survey_id)
    assert followed is not None
    assert followed.household_id == new.id
    assert store.household(new.id) is not None
