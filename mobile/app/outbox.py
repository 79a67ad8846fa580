"""Outbox screen: what waits to sync, what the server refused and why, what went."""

from __future__ import annotations

from kivy.factory import Factory

from mobile.app.base import BaseScreen
from mobile.presenters.outbox import GROUPS, OutboxPresenter


class OutboxScreen(BaseScreen):
    def refresh(self) -> None:
        view = OutboxPresenter(
            self.context.user_store(),
            self.context.outbox_records(),
            self.context.lang,
            self.context.zone,
        ).view()
        body = self.ids.body
        body.clear_widgets()
        if not view.lines:
            body.add_widget(Factory.EmptyState(text=view.empty))
            return
        for group in GROUPS:
            lines = [line for line in view.lines if line.group == group]
            if not lines:
                continue
            body.add_widget(Factory.Heading(text=f"{self.app.t(f'outbox_{group}')} ({len(lines)})"))
            for line in lines:
                row = Factory.OutboxRow()
                row.ids.title.text = line.title
                row.ids.detail.text = line.detail
                row.ids.detail.color = (
                    (0.75, 0.12, 0.10, 1) if group == "refused" else (0.38, 0.42, 0.48, 1)
                )
                body.add_widget(row)
