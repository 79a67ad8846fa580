"""A member's page: the facts Decision 24/2021's forms ask of each member (ethnicity, citizen
identity number with its date and place of issue, residences, activity, labour capacity,
monthly social allowance, revolutionary merit), shown and corrected on the tablet. A
correction is an edit of the sync outbox (``members/<no>/<fact>``), as the household form's
are (``mobile.new_households``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from mobile import new_households
from mobile.i18n import Lang, tr
from mobile.presenters.form import format_date, parse_date_text, parse_number
from mobile.store.records import Household, UserStore
from mobile.sync.store import Store
from shared.forms import Form
from shared.household_paths import DOCUMENT_NAMES, MEMBER_FACTS
from shared.people import citizen_id_fault

Kind = Literal["text", "date", "choice", "yes_no", "amount"]
# How each fact is typed on the page; its choices come from the review form's question of the
# same fact (household_review 3: ``ethnicity``, ``activity``).
KINDS: dict[str, Kind] = {
    "national_id": "text",
    "national_id_issued_on": "date",
    "national_id_issued_by": "text",
    "ethnicity": "choice",
    "permanent_residence": "text",
    "current_residence": "text",
    "activity": "choice",
    "no_labour_capacity": "yes_no",
    "monthly_social_allowance_vnd": "amount",
    "revolutionary_merit": "yes_no",
}
assert set(KINDS) == set(MEMBER_FACTS)
# A number the role may not see arrives masked (server.households.service.mask_national_id).
_MASK = "•"


@dataclass(frozen=True)
class FactView:
    name: str
    kind: Kind
    label: str
    # What shows: typed text for text, dates (day/month/year) and amounts; the chosen label
    # ("Chưa ghi nhận" when none) for choices and yes/no.
    text: str
    value: Any
    choices: tuple[tuple[Any, str], ...] = ()
    # The number of a role that may not see it: shown masked, not corrected here.
    locked: bool = False


@dataclass(frozen=True)
class MemberView:
    title: str
    facts: tuple[FactView, ...]
    message: str
    # The message says the facts were saved (not what is wrong).
    saved: bool = False


def _amount(value: object) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else ""


class MemberPresenter:
    def __init__(
        self,
        users: UserStore,
        outbox: Callable[[], Store],
        household_id: int,
        member_no: str,
        form: Form,
        lang: Lang = "vi",
    ) -> None:
        self.users = users
        self.outbox = outbox
        self.household_id = household_id
        self.member_no = member_no
        self.lang = lang
        self.message = ""
        self.saved = False
        self.form = form
        household = users.household(household_id)
        assert household is not None
        self.household: Household = household
        self.held: dict[str, Any] = next(
            (dict(m) for m in household.members if str(m.get("member_no")) == member_no), {}
        )
        # The choices of the review form's questions, in the user's language.
        self.choices: dict[str, tuple[tuple[Any, str], ...]] = {}
        for name, kind in KINDS.items():
            node = form.nodes.get(DOCUMENT_NAMES.get(name, name))
            if kind == "choice" and node is not None:
                self.choices[name] = tuple((c.value, getattr(c.label, lang)) for c in node.choices)
            elif kind == "yes_no":
                self.choices[name] = ((True, tr("yes", lang)), (False, tr("no", lang)))
        # What the page holds: text as typed for typed facts, values for the others.
        self.entries: dict[str, Any] = {name: self._shown(name) for name in KINDS}

    def _shown(self, name: str) -> Any:
        value = self.held.get(name)
        kind = KINDS[name]
        if kind == "date":
            return format_date(value)
        if kind == "amount":
            return _amount(value)
        if kind == "text":
            return "" if value is None else str(value)
        return value

    def view(self) -> MemberView:
        """Return what the page shows."""
        name = str(self.held.get("full_name", ""))
        facts = []
        for fact, kind in KINDS.items():
            entry = self.entries[fact]
            choices = self.choices.get(fact, ())
            if kind in ("choice", "yes_no"):
                text = dict(choices).get(entry, tr("not_recorded", self.lang))
            else:
                text = str(entry)
            facts.append(
                FactView(
                    fact,
                    kind,
                    tr(f"field_{fact}", self.lang),
                    text,
                    entry,
                    choices,
                    locked=fact == "national_id" and _MASK in str(self.held.get(fact) or ""),
                )
            )
        return MemberView(
            tr("member_page", self.lang, name=name, no=self.member_no),
            tuple(facts),
            self.message,
            self.saved,
        )

    def type_text(self, name: str, text: str) -> None:
        """Keep what was typed for a text, date or amount fact."""
        self.entries[name] = text

    def choose(self, name: str, value: Any) -> None:
        """Pick a choice or yes/no; picking the chosen one again clears it."""
        self.entries[name] = None if self.entries[name] == value else value

    def _typed(self) -> dict[str, Any] | None:
        """Return the facts as the registry holds them; None with ``message`` saying what is
        wrong (in the words the review form uses for a citizen identity number)."""
        found: dict[str, Any] = {}
        for name, kind in KINDS.items():
            entry = self.entries[name]
            if kind in ("choice", "yes_no"):
                found[name] = entry
                continue
            text = str(entry or "").strip()
            if not text:
                found[name] = None
            elif kind == "date":
                iso = parse_date_text(text)
                try:
                    date.fromisoformat(iso)
                except ValueError:
                    self.message = tr("bad_date", self.lang)
                    return None
                found[name] = iso
            elif kind == "amount":
                amount = parse_number(text, integer=True)
                if not isinstance(amount, int) or amount < 0:
                    self.message = tr("bad_number", self.lang)
                    return None
                found[name] = amount
            else:
                found[name] = text
        return found

    def _number_problem(self, found: Mapping[str, Any]) -> str:
        """Return what is wrong with a citizen identity number typed here, "" if nothing: the
        review form's own words for each fault (its constraints ``citizen_id_<fault>``)."""
        number = found.get("national_id")
        if number is None or number == self.held.get("national_id"):
            if found.get("national_id_issued_on") and not number:
                return tr("issued_without_number", self.lang)
            return ""
        born = str(self.held.get("birth_date") or "")
        fault = citizen_id_fault(
            str(number),
            self.held.get("sex"),
            int(born[:4]) if born[:4].isdigit() else None,
        )
        if fault is None:
            return ""
        node = self.form.nodes.get("citizen_id")
        for constraint, _check in node.constraints if node is not None else ():
            if constraint.id == f"citizen_id_{fault}":
                return str(getattr(constraint.message, self.lang))
        return tr("bad_citizen_id", self.lang)

    def save(self) -> Household | None:
        """Queue the facts changed for the next sync and show them at once; return the
        household, None with ``message`` saying what is wrong."""
        self.saved = False
        found = self._typed()
        if found is None:
            return None
        problem = self._number_problem(found)
        if problem:
            self.message = problem
            return None
        changes = {
            f"members/{self.member_no}/{name}": value
            for name, value in found.items()
            if value != self.held.get(name)
        }
        if not changes:
            return self.household
        outbox = self.outbox()
        try:
            saved = new_households.edit(self.users, outbox, self.household_id, changes)
        except new_households.NotSyncedYet:
            self.message = tr("not_synced_yet", self.lang)
            return None
        finally:
            outbox.close()
        self.household = saved
        self.held = next(
            (dict(m) for m in saved.members if str(m.get("member_no")) == self.member_no), {}
        )
        self.message = tr("saved", self.lang)
        self.saved = True
        return saved
