"""The Kivy app: one ScreenManager, one screen per task; presenters do the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import sp
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from mobile.app.screens import SCREENS
from mobile.context import AppContext
from mobile.i18n import tr

KV_DIR = Path(__file__).parent
LARGE_TEXT_SCALE = 1.3
# Escape on a desktop, the back key on Android (SDL2 maps it to the same code).
BACK_KEY = 27
# Screens that start a trail: going back from them asks before leaving the app.
ROOTS = ("home", "signin")


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
        # The screens that led to the current one, with their arguments, for Back.
        self.trail: list[tuple[str, dict[str, Any]]] = []
        self.leaving: Any = None

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
        Window.bind(on_keyboard=self.key)
        return manager

    def show(self, screen_name: str, **arguments: Any) -> None:
        """Open screen ``screen_name``, handing it ``arguments`` before it is drawn; the screen
        left is remembered for Back (the home and sign-in screens start a new trail)."""
        current = self.root.current_screen
        if screen_name in ROOTS:
            self.trail.clear()
        elif current.name != screen_name:
            self.trail.append((current.name, dict(current.arguments)))
        self._open(screen_name, arguments)

    def _open(self, screen_name: str, arguments: dict[str, Any]) -> None:
        screen = self.root.get_screen(screen_name)
        screen.arguments = arguments
        screen.refresh()
        self.root.current = screen_name

    def back(self) -> None:
        """Go back one screen (a screen may first close what it has open, such as a roster
        row); on the home or sign-in screen ask before leaving the app."""
        screen = self.root.current_screen
        if getattr(screen, "step_back", lambda: False)():
            return
        if self.trail:
            name, arguments = self.trail.pop()
            self._open(name, arguments)
        elif screen.name in ROOTS:
            self.ask_to_leave()
        else:
            self._open("home", {})

    def ask_to_leave(self) -> None:
        """Show the dialog that asks whether to close the app."""
        if self.leaving is None:
            self.leaving = Factory.LeaveDialog()
        self.leaving.open()

    def key(self, _window: Any, keycode: int, *_: Any) -> bool:
        """Take the back key (Escape) so it never closes the app by itself."""
        if keycode != BACK_KEY:
            return False
        if self.leaving is not None and self.leaving.parent is not None:
            self.leaving.dismiss()
        else:
            self.back()
        return True

    def on_pause(self) -> bool:
        # Android pauses the app when the camera opens; every change is already written.
        return True
