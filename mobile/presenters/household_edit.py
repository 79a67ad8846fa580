"""The household form of the tablet: a new household, a split, corrections of details and
members (``mobile.new_households`` does the work; this says what the screen shows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from mobile import new_households
from mobile.i18n import Lang, tr
from mobile.store.records import Household, UserStore
from mobile.sync.store import Store

Mode = Literal["new", "edit", "split"]


@dataclass
class MemberLine:
    member_no: str
    full_name: str
    moving: bool = False


@dataclass
class HouseholdDraft:
    """What the screen edits: the head, the address and the members (names)."""

    head_name: str = ""
    address: str = ""
    members: list[MemberLine] = field(default_factory=list)


class HouseholdEditPresenter:
    def __init__(
        self,
        users: UserStore,
        outbox: Callable[[], Store],
        mode: Mode,
        hamlet_id: int = 0,
        household_id: int = 0,
        head_name: str = "",
        lang: Lang = "vi",
    ) -> None:
        self.users = users
        self.outbox = outbox
        self.mode = mode
        self.hamlet_id = hamlet_id
        self.lang = lang
        self.message = ""
        self.household: Household | None = users.household(household_id) if household_id else None
        self.draft = HouseholdDraft(head_name=head_name)
        if self.household is not None:
            self.hamlet_id = self.household.hamlet_id
            self.draft = HouseholdDraft(
                self.household.head_name if mode == "edit" else "",
                self.household.address,
                [
                    MemberLine(str(m.get("member_no", i + 1)), str(m.get("full_name", "")))
                    for i, m in enumerate(self.household.members)
                ],
            )

    def title(self) -> str:
        """Return the screen's title."""
        if self.household is None:
            return tr("new_household", self.lang)
        key = "split_household" if self.mode == "split" else "edit_household"
        return tr(key, self.lang, code=self.household.code)

    def add_member(self, full_name: str) -> None:
        """Add a person to a new household's roster."""
        if full_name.strip():
            self.draft.members.append(
                MemberLine(str(len(self.draft.members) + 1), full_name.strip())
            )

    def save(self) -> Household | None:
        """Queue the household for the next sync and show it here; return it (the new one
        for a split), None with ``message`` saying what is missing or wrong."""
        draft = self.draft
        outbox = self.outbox()
        try:
            if self.mode == "new":
                if not draft.head_name.strip():
                    self.message = tr("head_name_missing", self.lang)
                    return None
                people: list[dict[str, Any]] = [
                    {"full_name": draft.head_name.strip(), "relation": "head"}
                ] + [{"full_name": m.full_name} for m in draft.members if m.full_name.strip()]
                return new_households.create(
                    self.users,
                    outbox,
                    self.hamlet_id,
                    draft.head_name.strip(),
                    draft.address,
                    people,
                )
            assert self.household is not None
            if self.mode == "split":
                moving = [m.member_no for m in draft.members if m.moving]
                if not moving or len(moving) == len(draft.members):
                    self.message = tr("split_pick", self.lang)
                    return None
                return new_households.split(
                    self.users, outbox, self.household.household_id, moving, draft.address
                )
            return new_households.edit(
                self.users, outbox, self.household.household_id, self._changes()
            )
        except new_households.NotSyncedYet:
            self.message = tr("not_synced_yet", self.lang)
            return None
        finally:
            outbox.close()

    def _changes(self) -> dict[str, Any]:
        assert self.household is not None
        held = self.household
        changes: dict[str, Any] = {}
        if self.draft.head_name.strip() and self.draft.head_name.strip() != held.head_name:
            changes["head_name"] = self.draft.head_name.strip()
        if self.draft.address.strip() != held.address:
            changes["address"] = self.draft.address.strip()
        before = {str(m.get("member_no", i + 1)): m for i, m in enumerate(held.members)}
        for line in self.draft.members:
            old = before.get(line.member_no)
            if (
                old is not None
                and line.full_name.strip()
                and line.full_name.strip() != old.get("full_name")
            ):
                changes[f"members/{line.member_no}/full_name"] = line.full_name.strip()
        return changes
