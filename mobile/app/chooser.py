"""The desktop camera's file chooser: a popup listing pictures under the user's home."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.filechooser import FileChooserListView
from kivy.uix.popup import Popup

from mobile.i18n import Lang, tr


def choose_picture(done: Callable[[str | None], None], lang: str = "vi") -> None:
    """Open a chooser of JPEG/PNG files; call ``done`` with the path, None when cancelled."""
    language: Lang = "en" if lang == "en" else "vi"
    chooser = FileChooserListView(
        path=str(Path.home()), filters=["*.jpg", "*.jpeg", "*.png", "*.JPG", "*.JPEG", "*.PNG"]
    )
    box = BoxLayout(orientation="vertical", spacing=8)
    buttons = BoxLayout(size_hint_y=None, height=52, spacing=8)
    cancel = Button(text=tr("back", language))
    pick = Button(text=tr("take_photo", language))
    buttons.add_widget(cancel)
    buttons.add_widget(pick)
    box.add_widget(chooser)
    box.add_widget(buttons)
    popup = Popup(title=tr("take_photo", language), content=box, size_hint=(0.9, 0.9))

    def finish(path: str | None) -> None:
        popup.dismiss()
        done(path)

    cancel.bind(on_release=lambda *_: finish(None))
    pick.bind(on_release=lambda *_: finish(chooser.selection[0] if chooser.selection else None))
    popup.open()
