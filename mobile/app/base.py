"""What every screen shares: the arguments it was opened with and a ``refresh`` that redraws
it from its presenter."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

from mobile.context import AppContext


class BaseScreen(Screen):
    arguments: dict[str, Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arguments = {}

    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def context(self) -> AppContext:
        found: AppContext = self.app.context
        return found

    def refresh(self) -> None:
        """Redraw from the presenter (called before the screen is shown)."""
