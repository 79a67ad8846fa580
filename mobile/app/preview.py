"""Classification preview screen."""

from __future__ import annotations

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.presenters.preview import preview
from shared.forms import check_answers

_STATUS_COLOURS = {
    "deprived": (0.75, 0.12, 0.10, 1),
    "not_deprived": (0.10, 0.50, 0.25, 1),
    "unknown": (0.55, 0.45, 0.10, 1),
}


class PreviewScreen(BaseScreen):
    def refresh(self) -> None:
        store = self.context.user_store()
        survey = store.survey(str(self.arguments["survey_id"]))
        assert survey is not None
        form = self.context.survey_form(survey)
        view = preview(
            check_answers(form, survey.envelope),
            self.context.lang,
            self.context.preview_standard(survey),
        )
        t = self.app.t
        body = self.ids.body
        body.clear_widgets()
        self.ids.household_class.text = view.class_text
        body.add_widget(Factory.Text(text=view.problem or view.income_text))
        if view.deprived_text:
            body.add_widget(Factory.Text(text=view.deprived_text))
        for indicator in view.indicators:
            line = Factory.Text(
                text=f"[b]{indicator.title}[/b] — {indicator.status_text}\n{indicator.reason}",
                markup=True,
            )
            line.color = _STATUS_COLOURS.get(indicator.status, line.color)
            body.add_widget(line)
        if view.missing:
            body.add_widget(Factory.Heading(text=t("missing")))
            for missing in view.missing:
                body.add_widget(Factory.WarningText(text=f"• {missing}"))
        if view.standard_text:
            body.add_widget(Factory.Muted(text=view.standard_text))
        body.add_widget(Factory.Muted(text=t("preview_note")))
