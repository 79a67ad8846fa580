"""The offline hamlet map screen: households as coloured dots over the hamlet's boundary,
drawn on the canvas; a tap opens the household under the finger."""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.uix.widget import Widget

from mobile.app.base import BaseScreen
from mobile.presenters.hamlet_map import COLOURS, HamletMapPresenter, MapView, nearest


class MapCanvas(Widget):
    """Draws a ``MapView``; the unit square is fitted into the widget with a margin."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: MapView | None = None
        self.bind(size=self.draw, pos=self.draw)

    def _box(self) -> tuple[float, float, float]:
        margin = dp(24)
        side = max(min(self.width, self.height) - 2 * margin, 1)
        return self.x + (self.width - side) / 2, self.y + (self.height - side) / 2, side

    def draw(self, *_: object) -> None:
        self.canvas.clear()
        if self.view is None:
            return
        left, bottom, side = self._box()
        radius = dp(5)
        with self.canvas:
            Color(0.05, 0.30, 0.45, 1)
            for ring in self.view.rings:
                flat = [v for x, y in ring for v in (left + x * side, bottom + y * side)]
                Line(points=flat, width=dp(1.5), close=True)
            for point in self.view.points:
                Color(*COLOURS[point.state])
                Ellipse(
                    pos=(left + point.x * side - radius, bottom + point.y * side - radius),
                    size=(2 * radius, 2 * radius),
                )

    def on_touch_up(self, touch: Any) -> bool:
        if self.view is None or not self.collide_point(*touch.pos):
            return False
        left, bottom, side = self._box()
        found = nearest(
            self.view.points, (touch.x - left) / side, (touch.y - bottom) / side, dp(20) / side
        )
        if found is None:
            return False
        from kivy.app import App

        App.get_running_app().show("detail", household_id=found.household_id)
        return True


class MapScreen(BaseScreen):
    def refresh(self) -> None:
        presenter = HamletMapPresenter(
            self.context.user_store(), int(self.arguments.get("hamlet_id", 0)), self.context.lang
        )
        view = presenter.view()
        self.ids.title.text = str(self.arguments.get("name", ""))
        self.ids.message.text = view.message
        legend = self.ids.legend
        legend.clear_widgets()
        from kivy.factory import Factory

        for state, label, count in view.legend:
            chip = Factory.LegendChip(text=f"{label}: {count}")
            chip.dot = COLOURS[state]
            legend.add_widget(chip)
        self.ids.canvas.view = view
        self.ids.canvas.draw()
