"""A hamlet's households in a RecycleView (only visible rows are widgets)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from mobile.app.base import BaseScreen
from mobile.presenters.households import HouseholdListPresenter


class HouseholdRow(ButtonBehavior, BoxLayout):
    household_id = NumericProperty(0)
    code = StringProperty("")
    head_name = StringProperty("")
    address = StringProperty("")
    class_text = StringProperty("")
    status_text = StringProperty("")
    returned = BooleanProperty(False)

    def on_release(self) -> None:
        from kivy.app import App

        App.get_running_app().show("detail", household_id=int(self.household_id))


class HouseholdsScreen(BaseScreen):
    presenter: HouseholdListPresenter | None = None
    nobody = BooleanProperty(False)

    def refresh(self) -> None:
        hamlet_id = int(self.arguments.get("hamlet_id", 0))
        store = self.context.user_store()
        if self.presenter is None or self.presenter.hamlet_id != hamlet_id:
            self.presenter = HouseholdListPresenter(store, hamlet_id, self.context.lang)
            self.ids.search.text = ""
        else:
            self.presenter.lang = self.context.lang
            self.presenter.reload()
        self.presenter.changed = self.redraw
        self.ids.title.text = str(self.arguments.get("name", ""))
        self.ids.class_filter.values = [label for _, label in self.presenter.class_filters()]
        self.ids.status_filter.values = [label for _, label in self.presenter.status_filters()]
        self.ids.class_filter.text = self.presenter.class_filters()[0][1]
        self.ids.status_filter.text = self.presenter.status_filters()[0][1]
        self.redraw()

    def redraw(self) -> None:
        assert self.presenter is not None
        rows = self.presenter.visible()
        self.ids.list.data = [self._data(row) for row in rows]
        self.ids.summary.text = self.presenter.summary(len(rows))
        self.nobody = not rows

    @staticmethod
    def _data(row: Any) -> dict[str, Any]:
        return {
            "household_id": row.household_id,
            "code": row.code,
            "head_name": row.head_name,
            "address": row.address,
            "class_text": row.class_text,
            "status_text": row.status_text,
            "returned": row.returned,
        }

    def add_household(self) -> None:
        """Register a household of this hamlet; a search that found nobody names its head."""
        query = self.ids.search.text.strip() if self.nobody else ""
        self.app.show(
            "household_edit",
            mode="new",
            hamlet_id=int(self.arguments.get("hamlet_id", 0)),
            head_name=query,
        )

    def search(self, text: str) -> None:
        if self.presenter is not None:
            self.presenter.search(text)

    def pick_class(self, label: str) -> None:
        if self.presenter is not None:
            chosen = {text: value for value, text in self.presenter.class_filters()}
            self.presenter.filter_class(chosen.get(label))

    def pick_status(self, label: str) -> None:
        if self.presenter is not None:
            chosen = {text: value for value, text in self.presenter.status_filters()}
            self.presenter.filter_status(chosen.get(label))
