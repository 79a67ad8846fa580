"""The household form of the tablet: a new household, a split, corrections of details and
members (``mobile.new_households`` does the work; this says what the screen shows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from mobile import new_households
from mobile.i18n import Lang, tr
from mobile.presenters.form import format_date, parse_date_text
from mobile.store.records import Household, UserStore
from mobile.sync.store import Store

Mode = Literal["new", "edit", "split"]


@dataclass
class MemberLine:
    """A member as the screen edits it: the birth date as typed (day/month/year), sex and
    relation as choice values."""

    member_no: str
    full_name: str
    moving: bool = False
    birth_date: str = ""
    sex: str = ""
    relation: str = ""


# What a correction may change of a member besides the name (the edit path's member fields).
_CORRECTED = ("birth_date", "sex", "relation")


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
        sex_labels: dict[str, str] | None = None,
        relation_labels: dict[str, str] | None = None,
    ) -> None:
        self.users = users
        # The choices of the survey form's roster, in the user's language, for the pickers.
        self.sex_labels = sex_labels or {}
        self.relation_labels = relation_labels or {}
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
                    MemberLine(
                        str(m.get("member_no", i + 1)),
                        str(m.get("full_name", "")),
                        birth_date=format_date(m.get("birth_date")),
                        sex=str(m.get("sex") or ""),
                        relation=str(m.get("relation") or ""),
                    )
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
        """Add a person to the roster of a new household, or of one being corrected (numbered
        after the highest number held, so a removed member's number is never reused)."""
        if full_name.strip():
            numbers = [int(m.member_no) for m in self.draft.members if m.member_no.isdigit()]
            self.draft.members.append(
                MemberLine(str(max(numbers, default=0) + 1), full_name.strip())
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
            changes = self._changes()
            if changes is None:
                self.message = tr("bad_date", self.lang)
                return None
            return new_households.edit(self.users, outbox, self.household.household_id, changes)
        except new_households.NotSyncedYet:
            self.message = tr("not_synced_yet", self.lang)
            return None
        finally:
            outbox.close()

    def _changes(self) -> dict[str, Any] | None:
        """Return the edit paths of what the draft changed; None when a birth date typed is
        not a date."""
        assert self.household is not None
        held = self.household
        changes: dict[str, Any] = {}
        if self.draft.head_name.strip() and self.draft.head_name.strip() != held.head_name:
            changes["head_name"] = self.draft.head_name.strip()
        if self.draft.address.strip() != held.address:
            changes["address"] = self.draft.address.strip()
        before = {str(m.get("member_no", i + 1)): m for i, m in enumerate(held.members)}
        for line in self.draft.members:
            name = line.full_name.strip()
            born = parse_date_text(line.birth_date) if line.birth_date.strip() else ""
            if born:
                try:
                    date.fromisoformat(born)
                except ValueError:
                    return None
            typed = {
                "birth_date": born or None,
                "sex": line.sex or None,
                "relation": line.relation or None,
            }
            old = before.get(line.member_no)
            if old is None:
                if name:
                    changes[f"members/{line.member_no}"] = {"full_name": name, **typed}
                continue
            if name and name != old.get("full_name"):
                changes[f"members/{line.member_no}/full_name"] = name
            for key in _CORRECTED:
                if typed[key] is not None and typed[key] != old.get(key):
                    changes[f"members/{line.member_no}/{key}"] = typed[key]
        return changes
