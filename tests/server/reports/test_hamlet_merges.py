"""Merging two demo hamlets keeps the commune's totals and every household's class history; a
report of a year before the merge still shows both hamlets, one of the merge's year the merged
hamlet with a note (issue 20)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM
from server.auth import repository as accounts
from server.auth.service import principal_of
from server.demo.service import DemoSummary
from server.geography import repository as geography
from server.geography.merges import MergeRequest
from server.households.models import HouseholdYear
from server.reorganisation import merge
from server.reports import render, service

ON = date(2026, 1, 1)


def _history(session: Session) -> dict[tuple[int, int], str]:
    rows = session.scalars(select(HouseholdYear))
    return {(row.household_id, row.year): row.household_class for row in rows}


def test_merging_two_demo_hamlets_keeps_totals_history_and_earlier_reports(
    session: Session, demo: DemoSummary
) -> None:
    before = {
        year: service.hamlet_table(session, None, demo.commune_id, year) for year in (2022, 2026)
    }
    history = _history(session)
    kp1 = geography.hamlet_by_code(session, demo.commune_id, "KP1")
    kp2 = geography.hamlet_by_code(session, demo.commune_id, "KP2")
    assert kp1 is not None
    assert kp2 is not None
    officer = accounts.user_by_username(session, "canbo")
    assert officer is not None

    made = merge(
        session,
        principal_of(officer, 0),
        SYSTEM,
        MergeRequest((kp1.id, kp2.id), ON, name="Khu phố 1-2"),
    )

    assert made.households == 262 + 232
    assert _history(session) == history
    earlier = service.hamlet_table(session, None, demo.commune_id, 2022)
    assert earlier == before[2022]
    assert [row.name for row in earlier.rows][:2] == ["Khu phố 1", "Khu phố 2"]

    later = service.hamlet_table(session, None, demo.commune_id, 2026)
    assert later.total == before[2026].total
    names = [row.name for row in later.rows]
    assert "Khu phố 1" not in names
    assert "Khu phố 2" not in names
    merged = next(row for row in later.rows if row.name == "Khu phố 1-2")
    assert merged.note == "Gộp từ Khu phố 1, Khu phố 2 từ ngày 01/01/2026"
    old_rows = [row for row in before[2026].rows if row.code in ("KP1", "KP2")]
    assert merged.now.households == sum(row.now.households for row in old_rows)
    assert merged.now.poor == sum(row.now.poor for row in old_rows)
    assert merged.now.near_poor == sum(row.now.near_poor for row in old_rows)
    assert "Khu phố 1-2 (Gộp từ Khu phố 1, Khu phố 2 từ ngày 01/01/2026)" in render.to_csv(later)


def test_a_hamlet_kept_counts_only_its_own_households_before_the_merge(
    session: Session, demo: DemoSummary
) -> None:
    kp1 = geography.hamlet_by_code(session, demo.commune_id, "KP1")
    kp3 = geography.hamlet_by_code(session, demo.commune_id, "KP3")
    assert kp1 is not None
    assert kp3 is not None
    merge(session, None, SYSTEM, MergeRequest((kp1.id, kp3.id), ON, into_id=kp1.id))
    later = service.hamlet_table(session, None, demo.commune_id, 2026)
    kept = next(row for row in later.rows if row.code == "KP1")
    assert kept.note == "Gộp từ Khu phố 1, Khu phố 3 từ ngày 01/01/2026"
    earlier = service.hamlet_table(session, None, demo.commune_id, 2025)
    assert [row.now.households for row in earlier.rows if row.code in ("KP1", "KP3")] == [262, 345]
