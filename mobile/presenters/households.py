"""A hamlet's household list: search without diacritics, filters by class and survey status,
a badge for returned items. Built for 2,000+ rows: the hamlet is decrypted once into memory and
each keystroke filters precomputed search keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, fold, tr
from mobile.presenters.preview import class_text
from mobile.store.records import Household, UserStore
from shared import vocabulary

# The filter offers the classes a household can stand in; "undetermined" is no standing.
CLASSES = tuple(c for c in vocabulary.CLASSES if c != "undetermined")
STATUSES = ("none", "draft", "ready", "sent", "returned")


@dataclass(frozen=True)
class Row:
    household_id: int
    code: str
    head_name: str
    address: str
    class_text: str
    status: str
    status_text: str
    returned: bool
    key: str


class HouseholdListPresenter:
    def __init__(self, store: UserStore, hamlet_id: int, lang: Lang = "vi") -> None:
        self.store = store
        self.hamlet_id = hamlet_id
        self.lang = lang
        self.query = ""
        self.household_class: str | None = None
        self.status: str | None = None
        self.changed: Callable[[], None] = lambda: None
        self.rows: list[Row] = []
        self.reload()

    def _row(self, household: Household, status: str) -> Row:
        return Row(
            household.household_id,
            household.code,
            household.head_name,
            household.address,
            class_text(household.household_class, self.lang),
            status,
            tr(f"status_{status}", self.lang),
            status == "returned",
            fold(f"{household.code} {household.head_name} {household.address}"),
        )

    def reload(self) -> None:
        """Read the hamlet again (after a survey is saved or a sync)."""
        states = self.store.survey_states(REVIEW_FORM)
        self.classes = {}
        self.rows = []
        for household in self.store.households(self.hamlet_id):
            self.classes[household.household_id] = household.household_class
            self.rows.append(self._row(household, states.get(household.household_id, "none")))

    def search(self, query: str) -> None:
        self.query = query
        self.changed()

    def filter_class(self, household_class: str | None) -> None:
        self.household_class = household_class
        self.changed()

    def filter_status(self, status: str | None) -> None:
        self.status = status
        self.changed()

    def visible(self) -> list[Row]:
        """Return the rows matching the search (every word, in any order) and the filters;
        returned items first."""
        words = fold(self.query).split()
        found = [
            row
            for row in self.rows
            if all(word in row.key for word in words)
            and (
                self.household_class is None
                or self.classes.get(row.household_id) == self.household_class
            )
            and (self.status is None or row.status == self.status)
        ]
        found.sort(key=lambda row: not row.returned)
        return found

    def summary(self, shown: int) -> str:
        return tr("shown_of", self.lang, shown=shown, total=len(self.rows))

    def class_filters(self) -> list[tuple[str | None, str]]:
        return [(None, tr("all_classes", self.lang))] + [
            (c, class_text(c, self.lang)) for c in CLASSES
        ]

    def status_filters(self) -> list[tuple[str | None, str]]:
        return [(None, tr("all_statuses", self.lang))] + [
            (s, tr(f"status_{s}", self.lang)) for s in STATUSES
        ]
