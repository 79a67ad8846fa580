"""The household form: a new household, a split, corrections of details and members."""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.factory import Factory

from mobile.app.base import BaseScreen
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
        self.ids.adding.opacity = 1 if self.presenter.mode == "new" else 0
        self.ids.adding.disabled = self.presenter.mode != "new"
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
                field = Factory.Field(text=line.full_name)
                field.bind(text=partial(self.rename, line))
                box.add_widget(field)
            else:
                box.add_widget(Factory.Text(text=f"• {line.full_name}"))

    def toggle(self, line: MemberLine, button: Any) -> None:
        line.moving = button.state == "down"

    def rename(self, line: MemberLine, _field: Any, text: str) -> None:
        line.full_name = text

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
