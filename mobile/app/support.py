"""Exiting poverty: the hamlet head's registrations and the helping officer's households. Both
open the form screen on ``exit_registration`` or ``support_visit``; everything works offline."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.forms import EXIT_REGISTRATION_FORM, VISIT_FORM
from mobile.presenters.support import ExitRegistrationPresenter, MyHouseholdsPresenter


class SupportScreen(BaseScreen):
    """``arguments["mode"]``: ``register`` (hamlet head) or ``visits`` (helping officer)."""

    def presenter(self) -> ExitRegistrationPresenter | MyHouseholdsPresenter:
        context = self.context
        store = context.user_store()
        if self.arguments.get("mode") == "visits":
            return MyHouseholdsPresenter(
                store,
                context.support_items(),
                context.today(),
                context.lang,
                context.choice_labels(EXIT_REGISTRATION_FORM, "help_type"),
            )
        return ExitRegistrationPresenter(
            store, context.support_items(), context.today(), context.lang
        )

    def refresh(self) -> None:
        view = self.presenter().view()
        self.ids.title.text = view.title
        self.ids.note.text = view.note
        self.ids.summary.text = view.summary
        rows = self.ids.rows
        rows.clear_widgets()
        for row in view.rows:
            line = Factory.SupportLine()
            line.ids.title.text = row.title
            line.ids.detail.text = row.detail
            line.ids.status.text = row.status_text
            line.returned = row.status == "returned"
            line.ids.act.text = row.action
            line.ids.act.disabled = not row.action
            line.ids.act.opacity = 1 if row.action else 0
            line.ids.act.bind(on_release=partial(self.act, row.household_id, row.survey_id))
            rows.add_widget(line)

    def act(self, household_id: int, survey_id: str | None, *_: object) -> None:
        """Open the household's form: the one in progress, or a new one."""
        if survey_id is None:
            visits = self.arguments.get("mode") == "visits"
            form_id = VISIT_FORM if visits else EXIT_REGISTRATION_FORM
            survey_id = self.context.start_form(form_id, household_id).survey_id
        self.app.show("form", survey_id=survey_id)
