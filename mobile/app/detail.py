"""Household detail screen."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.presenters.detail import DetailPresenter


class DetailScreen(BaseScreen):
    def presenter(self) -> DetailPresenter:
        return DetailPresenter(
            self.context.user_store(),
            int(self.arguments["household_id"]),
            self.context.today(),
            self.context.lang,
            self.context.labels(),
            self.context.survey_form(),
        )

    def refresh(self) -> None:
        view = self.presenter().view()
        t = self.app.t
        self.ids.title.text = view.title
        self.ids.action.text = view.action
        self.ids.action.disabled = not view.action
        self.ids.action.opacity = 1 if view.action else 0
        body = self.ids.body
        body.clear_widgets()
        body.add_widget(Factory.Heading(text=view.title))
        body.add_widget(Factory.Muted(text=view.address))
        body.add_widget(Factory.Text(text=f"{t('class')}: [b]{view.class_text}[/b]", markup=True))
        for button in (self.ids.edit, self.ids.split):
            button.disabled = not view.can_edit
            button.opacity = 1 if view.can_edit else 0
            button.size_hint_x = 1 if view.can_edit else None
            button.width = button.width if view.can_edit else 0
        if view.temporary_note:
            body.add_widget(Factory.NoteBox(text=view.temporary_note))
        if view.status:
            body.add_widget(Factory.NoteBox(text=view.status))
        body.add_widget(Factory.Heading(text=t("members")))
        for line, member_no in zip(view.members, view.member_nos, strict=True):
            if view.can_edit:
                # A member's page shows and corrects the facts of Decision 24's forms.
                button = Factory.Secondary(text=f"{line}  ›", halign="left")
                button.bind(on_release=partial(self.open_member, member_no))
                body.add_widget(button)
            else:
                body.add_widget(Factory.Text(text=f"• {line}"))
        if not view.members:
            body.add_widget(Factory.Text(text=f"• {t('none')}"))
        for title, lines in (
            (t("class_history"), view.history),
            (t("deprivations"), view.deprivations),
            (t("photos"), view.photos),
            (t("comments"), view.comments),
        ):
            body.add_widget(Factory.Heading(text=title))
            for line in lines or (t("none"),):
                body.add_widget(Factory.Text(text=f"• {line}"))

    def open_member(self, member_no: str, *_: object) -> None:
        self.app.show(
            "member", household_id=int(self.arguments["household_id"]), member_no=member_no
        )

    def act(self) -> None:
        presenter = self.presenter()
        survey = presenter.open_survey()
        if survey is None:
            if presenter.round_survey() is not None:
                return  # this round's survey is on its way; one per household and round
            survey = self.context.start_survey(presenter.household_id)
        self.app.show("form", survey_id=survey.survey_id)
