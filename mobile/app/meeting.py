"""The hamlet head's meeting: attendance and the vote on each accepted case, recorded online."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory
from kivy.uix.widget import Widget

from mobile.app.base import BaseScreen
from mobile.app.ui_thread import on_ui_thread
from mobile.presenters.review import MEETING_FIELDS, MeetingPresenter


class MeetingScreen(BaseScreen):
    presenter: MeetingPresenter | None = None

    def refresh(self) -> None:
        context = self.context
        if self.presenter is None or self.presenter.lang != context.lang:
            store = context.user_store()
            self.presenter = MeetingPresenter(
                context.review_api,
                [(h.hamlet_id, h.name) for h in store.hamlets()],
                store.account.profile.full_name,
                context.today(),
                store,
                context.lang,
                dispatch=on_ui_thread,
            )
            self.presenter.changed = self.redraw
            self.build_fields()
        self.keys: tuple[int, ...] | None = None
        self.presenter.load()
        self.redraw()

    def build_fields(self) -> None:
        assert self.presenter is not None
        grid = self.ids.fields
        grid.clear_widgets()
        self.inputs: dict[str, Widget] = {}
        for name in MEETING_FIELDS:
            grid.add_widget(Factory.Text(text=self.app.t(f"field_{name}")))
            field = Factory.Field(text=self.presenter.fields[name])
            if name in ("households_represented", "others_present"):
                field.input_filter = "int"
            if name == "held_on":
                field.hint_text = self.app.t("date_hint")
            field.bind(text=partial(self.typed, name))
            grid.add_widget(field)
            self.inputs[name] = field

    def typed(self, name: str, _widget: Widget, text: str) -> None:
        if self.presenter is not None:
            self.presenter.set_field(name, text)

    def agreed(self, case_id: int, _widget: Widget, text: str) -> None:
        if self.presenter is not None:
            self.presenter.set_agree(case_id, text)

    def redraw(self) -> None:
        assert self.presenter is not None
        view = self.presenter.view()
        t = self.app.t
        self.ids.round.values = [label for _, label in view.rounds]
        self.ids.round.text = dict(view.rounds).get(view.round_id or -1, "")
        self.ids.hamlet.values = [name for _, name in view.hamlets]
        self.ids.hamlet.text = dict(view.hamlets).get(view.hamlet_id or -1, "")
        for name, field in self.inputs.items():
            if field.text != view.fields[name]:
                field.text = view.fields[name]  # a draft taken back once the round is known
        self.ids.attendees.text = view.attendees
        self.ids.message.text = t("loading") if view.busy else view.message
        self.ids.message.color = (0.75, 0.12, 0.10, 1) if view.offline else (0.05, 0.30, 0.45, 1)
        self.ids.record.disabled = view.busy or view.recorded
        keys = tuple(row.case_id for row in view.rows)
        votes = self.ids.votes
        if keys != self.keys:
            # Rebuilt only when the cases change, so typing keeps its focus.
            votes.clear_widgets()
            self.lines: dict[int, Widget] = {}
            for row in view.rows:
                line = Factory.VoteLine()
                line.ids.title.text = f"[b]{row.title}[/b]\n{row.detail}"
                line.ids.agree.text = row.agree
                line.ids.agree.bind(text=partial(self.agreed, row.case_id))
                votes.add_widget(line)
                self.lines[row.case_id] = line
            if not view.rows:
                votes.add_widget(Factory.Muted(text=t("nothing_to_vote")))
            self.keys = keys
        for row in view.rows:
            self.lines[row.case_id].ids.verdict.text = row.verdict

    def pick_round(self, label: str) -> None:
        if self.presenter is None:
            return
        chosen = {text: value for value, text in self.presenter.view().rounds}
        if label in chosen and chosen[label] != self.presenter.round_id:
            self.presenter.choose_round(chosen[label])

    def pick_hamlet(self, label: str) -> None:
        if self.presenter is None:
            return
        chosen = {name: value for value, name in self.presenter.hamlets}
        if label in chosen and chosen[label] != self.presenter.hamlet_id:
            self.presenter.choose_hamlet(chosen[label])

    def reload(self) -> None:
        if self.presenter is not None:
            self.presenter.load()

    def record(self) -> None:
        if self.presenter is not None:
            self.presenter.submit()
