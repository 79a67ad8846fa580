"""Home screen."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.forms import REVIEW_FORM
from mobile.presenters.home import HomePresenter, SurveyLine


class HomeScreen(BaseScreen):
    def refresh(self) -> None:
        view = HomePresenter(
            self.context.user_store(), self.context.lang, zone=self.context.zone
        ).view()
        t = self.app.t
        self.ids.greeting.text = view.greeting
        self.ids.to_visit.text = f"{t('to_visit')}: [b]{view.to_visit}[/b]" if view.surveys else ""
        self.ids.waiting.text = f"{t('waiting')}: [b]{view.waiting}[/b]"
        self.ids.last_sync.text = f"{t('last_sync')}: [b]{view.last_sync}[/b]"
        self.ids.last_sync.color = (0.75, 0.12, 0.10, 1) if view.stale else (0.13, 0.15, 0.18, 1)
        entries = self.ids.entries
        entries.clear_widgets()
        for entry in view.entries:
            button = Factory.Action(text=entry.title)
            button.bind(on_release=partial(self.open_entry, entry.screen, entry.mode))
            entries.add_widget(button)
        hamlets = self.ids.hamlets
        hamlets.clear_widgets()
        for hamlet in view.hamlets:
            button = Factory.Secondary(text=f"{hamlet.name}  ·  {hamlet.detail}")
            button.bind(on_release=partial(self.open_hamlet, hamlet.hamlet_id, hamlet.name))
            hamlets.add_widget(button)
        for box, lines, title, empty in (
            (
                self.ids.drafts,
                view.drafts,
                t("drafts"),
                t("no_drafts" if view.surveys else "no_drafts_other"),
            ),
            (self.ids.returned, view.returned, t("returned"), t("no_returned")),
        ):
            box.clear_widgets()
            box.add_widget(Factory.Heading(text=f"{title} ({len(lines)})"))
            if not lines:
                box.add_widget(Factory.EmptyState(text=empty))
            for line in lines:
                button = Factory.Secondary(text=f"{line.title}\n{line.detail}")
                button.bind(on_release=partial(self.open_line, line))
                box.add_widget(button)

    def open_hamlet(self, hamlet_id: int, name: str, *_: object) -> None:
        self.app.show("households", hamlet_id=hamlet_id, name=name)

    def open_line(self, line: SurveyLine, *_: object) -> None:
        """A household survey opens on its household; other forms open on the form."""
        if line.form_id == REVIEW_FORM:
            self.app.show("detail", household_id=line.household_id)
        else:
            self.app.show("form", survey_id=line.survey_id)

    def open_entry(self, screen: str, mode: str, *_: object) -> None:
        self.app.show(screen, mode=mode)

    def sign_out(self) -> None:
        self.context.sign_out()
        self.app.show("signin")
