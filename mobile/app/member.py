"""A member's page: the facts Decision 24's forms ask of each member, shown and corrected."""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.widget import Widget

from mobile.app.base import BaseScreen
from mobile.presenters.member import FactView, MemberPresenter

_SAVED = (0.10, 0.50, 0.25, 1)
_PROBLEM = (0.75, 0.12, 0.10, 1)


class MemberScreen(BaseScreen):
    presenter: MemberPresenter | None = None

    def refresh(self) -> None:
        self.presenter = MemberPresenter(
            self.context.user_store(),
            self.context.outbox,
            int(self.arguments["household_id"]),
            str(self.arguments["member_no"]),
            self.context.survey_form(),
            self.context.lang,
        )
        self.draw()

    def draw(self) -> None:
        assert self.presenter is not None
        view = self.presenter.view()
        self.ids.title.text = view.title
        self.ids.message.text = view.message
        self.ids.message.color = _SAVED if view.saved else _PROBLEM
        grid = self.ids.facts
        grid.clear_widgets()
        for fact in view.facts:
            label = Factory.Text(text=fact.label, size_hint_x=0.4)
            # As tall as its row (the field beside it), so the label sits level with it.
            label.size_hint_y = 1
            grid.add_widget(label)
            grid.add_widget(self.entry(fact))

    def entry(self, fact: FactView) -> Widget:
        """Return what a fact is corrected with: a field for typed facts, a picker for a
        choice (the ethnic groups are many), Có/Không for yes or no."""
        t = self.app.t
        if fact.kind in ("text", "date", "amount"):
            field = Factory.Field(
                text=fact.text,
                size_hint_x=0.6,
                hint_text=t("date_hint_short") if fact.kind == "date" else "",
                input_filter="int" if fact.kind == "amount" else None,
                disabled=fact.locked,
            )
            field.bind(text=partial(self.typed, fact.name))
            return field
        if fact.kind == "choice":
            labels = dict(fact.choices)
            picker = Factory.ThemedSpinner(
                text=fact.text,
                values=list(labels.values()),
                size_hint=(0.6, None),
                height=dp(46) * self.app.font_scale,
            )
            picker.bind(text=partial(self.picked, fact.name, labels))
            return picker
        row = Factory.BoxLayout(
            size_hint=(0.6, None), height=dp(46) * self.app.font_scale, spacing=dp(8)
        )
        for value, label in fact.choices:
            button = Factory.Choice(text=label, state="down" if fact.value is value else "normal")
            button.bind(on_release=partial(self.chosen, fact.name, value))
            row.add_widget(button)
        return row

    def typed(self, name: str, _field: Any, text: str) -> None:
        if self.presenter is not None:
            self.presenter.type_text(name, text)

    def picked(self, name: str, labels: dict[str, str], _picker: Any, text: str) -> None:
        chosen = {label: value for value, label in labels.items()}
        if (
            self.presenter is not None
            and text in chosen
            and self.presenter.entries[name] != chosen[text]
        ):
            self.presenter.choose(name, chosen[text])

    def chosen(self, name: str, value: Any, _button: Any) -> None:
        if self.presenter is not None:
            self.presenter.choose(name, value)
            self.draw()

    def save(self) -> None:
        assert self.presenter is not None
        self.presenter.save()
        self.draw()
