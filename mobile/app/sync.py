"""Sync screen."""

from __future__ import annotations

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.app.ui_thread import on_ui_thread
from mobile.presenters.sync import SyncPresenter


class SyncScreen(BaseScreen):
    presenter: SyncPresenter | None = None

    def refresh(self) -> None:
        if self.presenter is None or not self.presenter.running:
            self.presenter = SyncPresenter(
                self.context.sync_port(),
                self.context.record_sync,
                self.context.lang,
                dispatch=on_ui_thread,
            )
            self.presenter.changed = self.redraw
        self.redraw()

    def start(self) -> None:
        assert self.presenter is not None
        self.presenter.start()

    def redraw(self) -> None:
        assert self.presenter is not None
        view = self.presenter.view()
        phases = self.ids.phases
        phases.clear_widgets()
        for phase in view.phases:
            phases.add_widget(Factory.Text(text=f"[b]{phase.title}[/b]  {phase.text}", markup=True))
            bar = Factory.ProgressBar(max=1.0, value=phase.fraction, size_hint_y=None, height=24)
            phases.add_widget(bar)
        self.ids.message.text = view.message
        self.ids.message.color = (
            (0.75, 0.12, 0.10, 1) if view.ok is False else (0.13, 0.15, 0.18, 1)
        )
        self.ids.start.disabled = view.running
        conflicts = self.ids.conflicts
        conflicts.clear_widgets()
        t = self.app.t
        if view.conflicts:
            conflicts.add_widget(Factory.Heading(text=t("conflicts")))
            conflicts.add_widget(Factory.Muted(text=view.conflict_note))
        for conflict in view.conflicts:
            conflicts.add_widget(
                Factory.Text(
                    text=f"[b]{conflict.household_code}[/b] · {conflict.what}", markup=True
                )
            )
            grid = Factory.ConflictGrid()
            for cell in ("", t("mine"), t("theirs")):
                grid.add_widget(Factory.Muted(text=cell))
            for name, mine, theirs in conflict.rows:
                for cell in (name, mine, theirs):
                    grid.add_widget(Factory.Text(text=cell))
            conflicts.add_widget(grid)
