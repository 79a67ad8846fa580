"""The household form: a new household, a split, corrections of details and members."""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from mobile.app.base import BaseScreen
from mobile.forms import REVIEW_FORM
from mobile.presenters.household_edit import HouseholdEditPresenter, MemberLine


class HouseholdEditScreen(BaseScreen):
    presenter: HouseholdEditPresenter | None = None

    def refresh(self) -> None:
        self.presenter = HouseholdEditPresenter(
            self.context.user_store(),
            self.context.outbox,
            self.arguments.get("mode", "new"),
            hamlet_id=int(self.arguments.get("hamlet_id", 0)),
            household_id=int(self.arguments.get("household_id", 0)),
            head_name=str(self.arguments.get("head_name", "")),
            lang=self.context.lang,
            sex_labels=self.context.choice_labels(REVIEW_FORM, "sex"),
            relation_labels=self.context.choice_labels(REVIEW_FORM, "relation"),
        )
        draft = self.presenter.draft
        self.ids.title.text = self.presenter.title()
        self.ids.head_name.text = draft.head_name
        self.ids.address.text = draft.address
        self.ids.message.text = ""
        split = self.presenter.mode == "split"
        self.ids.head_box.opacity = 0 if split else 1
        self.ids.head_box.disabled = split
        self.ids.head_box.height = 0 if split else self.ids.head_box.minimum_height
        self.ids.members_title.text = self.app.t("moves_out" if split else "members")
        self.ids.adding.opacity = 0 if split else 1
        self.ids.adding.disabled = split
        self.draw_members()

    def draw_members(self) -> None:
        assert self.presenter is not None
        box = self.ids.members
        box.clear_widgets()
        for line in self.presenter.draft.members:
            if self.presenter.mode == "split":
                toggle = Factory.Choice(
                    text=line.full_name, state="down" if line.moving else "normal"
                )
                toggle.bind(on_release=partial(self.toggle, line))
                box.add_widget(toggle)
            elif self.presenter.mode == "edit":
                box.add_widget(self.member_row(line))
            else:
                box.add_widget(Factory.Text(text=f"• {line.full_name}"))

    def member_row(self, line: MemberLine) -> BoxLayout:
        """Return a member's line of a correction: name, birth date, sex and relation."""
        assert self.presenter is not None
        t = self.app.t
        row = BoxLayout(size_hint_y=None, height=dp(48) * self.app.font_scale, spacing=dp(8))
        name = Factory.Field(text=line.full_name, size_hint_x=0.4)
        name.bind(text=partial(self.typed, line, "full_name"))
        born = Factory.Field(text=line.birth_date, hint_text=t("date_hint"), size_hint_x=0.25)
        born.bind(text=partial(self.typed, line, "birth_date"))
        row.add_widget(name)
        row.add_widget(born)
        for key, labels, size in (
            ("sex", self.presenter.sex_labels, 0.12),
            ("relation", self.presenter.relation_labels, 0.23),
        ):
            picker = Factory.ThemedSpinner(
                text=labels.get(getattr(line, key), t(f"field_{key}")),
                values=list(labels.values()),
                size_hint_x=size,
            )
            picker.bind(text=partial(self.picked, line, key, labels))
            row.add_widget(picker)
        return row

    def typed(self, line: MemberLine, key: str, _field: Any, text: str) -> None:
        setattr(line, key, text)

    def picked(
        self, line: MemberLine, key: str, labels: dict[str, str], _picker: Any, text: str
    ) -> None:
        chosen = {label: value for value, label in labels.items()}
        if text in chosen:
            setattr(line, key, chosen[text])

    def toggle(self, line: MemberLine, button: Any) -> None:
        line.moving = button.state == "down"

    def add_member(self) -> None:
        assert self.presenter is not None
        self.presenter.add_member(self.ids.new_member.text)
        self.ids.new_member.text = ""
        self.draw_members()

    def save(self) -> None:
        assert self.presenter is not None
        self.presenter.draft.head_name = self.ids.head_name.text
        self.presenter.draft.address = self.ids.address.text
        saved = self.presenter.save()
        if saved is None:
            self.ids.message.text = self.presenter.message
            return
        self.app.show("detail", household_id=saved.household_id)
