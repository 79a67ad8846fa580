"""The Kivy app: one ScreenManager, one screen per task; presenters do the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import sp
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from mobile.app.screens import SCREENS
from mobile.context import AppContext
from mobile.i18n import tr

KV_DIR = Path(__file__).parent
LARGE_TEXT_SCALE = 1.3


class RasoatApp(App):
    """``context`` carries the store, forms, facades and sync port; the screens read it."""

    lang = StringProperty("vi")
    font_scale = NumericProperty(1.0)
    title = "Rà Soát"

    def __init__(self, context: AppContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self.lang = context.lang
        self.font_scale = LARGE_TEXT_SCALE if context.settings.get("large_text") == "1" else 1.0

    def t(self, key: str, lang: str | None = None, **values: object) -> str:
        """Return the app text ``key`` in the current language (``lang`` is there so kv rules
        re-evaluate when the language changes)."""
        return tr(key, "en" if (lang or self.lang) == "en" else "vi", **values)

    def font(self, size: float, scale: float | None = None) -> float:
        return float(sp(size) * (scale if scale is not None else self.font_scale))

    def apply_settings(self) -> None:
        """Take the stored language and text size into use."""
        self.lang = self.context.lang
        self.font_scale = (
            LARGE_TEXT_SCALE if self.context.settings.get("large_text") == "1" else 1.0
        )

    def build(self) -> ScreenManager:
        Window.clearcolor = (0.94, 0.95, 0.96, 1)
        Builder.load_file(str(KV_DIR / "common.kv"))
        manager = ScreenManager(transition=NoTransition())
        for name, screen_class in SCREENS.items():
            Builder.load_file(str(KV_DIR / f"{name}.kv"))
            manager.add_widget(screen_class(name=name))
        manager.current = "signin"
        return manager

    def show(self, screen_name: str, **arguments: Any) -> None:
        """Open screen ``screen_name``, handing it ``arguments`` before it is drawn."""
        screen = self.root.get_screen(screen_name)
        screen.arguments = arguments
        screen.refresh()
        self.root.current = screen_name

    def on_pause(self) -> bool:
        # Android pauses the app when the camera opens; every change is already written.
        return True
