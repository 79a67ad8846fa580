"""The commune officer's review queue (works on a desktop too): online, over the review API."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.app.ui_thread import on_ui_thread
from mobile.forms import REVIEW_FORM
from mobile.presenters.review import ReviewQueuePresenter, question_choices


class QueueScreen(BaseScreen):
    presenter: ReviewQueuePresenter | None = None

    def refresh(self) -> None:
        context = self.context
        if self.presenter is None or self.presenter.lang != context.lang:
            self.presenter = ReviewQueuePresenter(
                context.review_api,
                context.catalog.get(REVIEW_FORM),
                context.lang,
                context.labels(),
                dispatch=on_ui_thread,
            )
            self.presenter.changed = self.redraw
            self.questions = question_choices(self.presenter.survey_form, context.lang)
            self.ids.question.values = [label for _, label in self.questions]
            self.ids.question.text = self.app.t("comment_question")
        self.presenter.load()
        self.redraw()

    def redraw(self) -> None:
        assert self.presenter is not None
        view = self.presenter.view()
        t = self.app.t
        self.ids.round.values = [label for _, label in view.rounds]
        self.ids.round.text = dict(view.rounds).get(view.round_id or -1, "")
        self.ids.summary.text = t("loading") if view.busy else view.summary
        self.ids.message.text = view.message
        self.ids.message.color = (0.75, 0.12, 0.10, 1) if view.offline else (0.05, 0.30, 0.45, 1)
        cases = self.ids.cases
        cases.clear_widgets()
        for row in view.cases:
            button = Factory.CaseButton(
                text=f"[b]{row.title}[/b]\n{row.detail}" + (f"\n{row.flags}" if row.flags else ""),
                state="down" if row.selected else "normal",
            )
            button.bind(on_release=partial(self.select, row.case_id))
            cases.add_widget(button)
        body = self.ids.case
        body.clear_widgets()
        case = view.case
        self.ids.actions.disabled = case is None or not case.can_accept or view.busy
        self.ids.actions.opacity = 0 if case is None else 1
        if case is None:
            return
        body.add_widget(Factory.Heading(text=case.title))
        for line in case.lines:
            body.add_widget(Factory.Text(text=line))
        sections = ((t("deprivations"), case.deprivations), (t("comments"), case.comments))
        for title, lines in sections:
            body.add_widget(Factory.Heading(text=title))
            for line in lines or (t("none"),):
                body.add_widget(Factory.Text(text=f"• {line}"))

    def select(self, case_id: int, *_: object) -> None:
        if self.presenter is not None:
            self.presenter.select(case_id)

    def pick_round(self, label: str) -> None:
        if self.presenter is None:
            return
        chosen = {text: value for value, text in self.presenter.view().rounds}
        if label in chosen and chosen[label] != self.presenter.round_id:
            self.presenter.choose_round(chosen[label])

    def reload(self) -> None:
        if self.presenter is not None:
            self.presenter.load()

    def accept(self) -> None:
        if self.presenter is not None:
            self.presenter.accept()

    def return_case(self) -> None:
        if self.presenter is None:
            return
        paths = {label: path for path, label in self.questions}
        path = paths.get(self.ids.question.text, "")
        if self.presenter.return_case(path, self.ids.member.text, self.ids.comment.text):
            self.ids.comment.text = ""
