"""Hamlets that merge or are renamed, across the domains (issue 20): the geography decides and
records the merge (``server.geography.merges``); here every domain's records of the merged-away
hamlets follow it, in the caller's one transaction. The command line (``rasoat admin
merge-hamlets``) and the console's hamlets page call these two functions.

What follows the merged hamlet: households (their earlier years stay counted in the old hamlet,
``server.households.repository.hamlet_in_year``), users' assigned hamlets, the cases of review
rounds still open, helping officers' hamlets and the exit registrations from the merge's year.
What stays: closed rounds, meetings held, surveys received, targets already set for a hamlet
and year (they describe what was), sync conflicts already queued.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.audit.service import Actor
from server.auth.policy import Permission, Principal, require
from server.geography import merges
from server.geography import repository as geography
from server.geography.merges import MergeDone, MergePlan, MergeRequest
from server.geography.models import Hamlet, HamletChange
from server.households import repository as households
from server.review import repository as review
from server.support import repository as support


@dataclass(frozen=True)
class MergePreview:
    """What a merge or rename would change, for the officer to confirm: the plan, and the
    households registered in each hamlet named (hamlet id → households)."""

    plan: MergePlan
    households: dict[int, int]

    @property
    def moving(self) -> int:
        """Return how many households change hamlet."""
        return sum(self.households.get(h.id, 0) for h in self.plan.retiring)

    @property
    def total(self) -> int:
        """Return the merged hamlet's households."""
        return sum(self.households.get(h.id, 0) for h in self.plan.parts)


@dataclass(frozen=True)
class Merged:
    """A merge or rename made: what the geography made and how many households moved."""

    done: MergeDone
    households: int
    cases: int


@dataclass(frozen=True)
class Reorganisable:
    """The hamlets in use a commune officer may merge or rename (with their households), and
    the merges and renames made so far, newest first."""

    hamlets: list[Hamlet]
    households: dict[int, int]
    changes: list[HamletChange]


def reorganisable(session: Session, principal: Principal) -> Reorganisable:
    """Return what the principal may reorganise, or raise FORBIDDEN (only those who merge
    hamlets: commune officers and administrators)."""
    require(principal, Permission.MERGE_HAMLETS)
    hamlets = geography.hamlets(session, principal.scope)
    counts = households.households_per_hamlet(session, [h.id for h in hamlets])
    changes = [
        change
        for commune_id in sorted({h.commune_id for h in hamlets})
        for change in geography.commune_changes(session, commune_id)
    ]
    return Reorganisable(hamlets, counts, changes)


def preview(session: Session, principal: Principal | None, asked: MergeRequest) -> MergePreview:
    """Return what ``asked`` would change, or raise the refusal it would meet."""
    plan = merges.plan_merge(session, principal, asked)
    counts = households.households_per_hamlet(session, [h.id for h in plan.parts])
    return MergePreview(plan, counts)


def merge(
    session: Session, principal: Principal | None, actor: Actor, asked: MergeRequest
) -> Merged:
    """Merge or rename as ``asked`` and move every domain's records of the retired hamlets to
    the merged one; return what was done. Nothing is committed here."""
    plan = merges.plan_merge(session, principal, asked)
    done = merges.apply_merge(session, actor, plan)
    retired = [h.id for h in done.retired]
    moved = households.move_to_hamlet(
        session, retired, done.hamlet.id, done.change.id, plan.effective_on
    )
    done.change.households = len(moved)
    cases = review.move_open_cases(session, retired, done.hamlet.id)
    support.move_to_hamlet(
        session, plan.commune.id, retired, done.hamlet.id, plan.effective_on.year
    )
    session.flush()
    return Merged(done, len(moved), cases)
