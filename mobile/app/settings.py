"""Settings screen."""

from __future__ import annotations

from mobile.app.base import BaseScreen
from mobile.i18n import Lang
from mobile.presenters.settings import SettingsPresenter


class SettingsScreen(BaseScreen):
    def presenter(self) -> SettingsPresenter:
        presenter = SettingsPresenter(self.context.settings)
        presenter.changed = lambda: self.show(presenter)
        return presenter

    def show(self, presenter: SettingsPresenter) -> None:
        view = presenter.view()
        self.ids.message.text = view.message
        self.ids.vi.state = "down" if view.language == "vi" else "normal"
        self.ids.en.state = "down" if view.language == "en" else "normal"
        self.ids.large_on.state = "down" if view.large_text else "normal"
        self.ids.large_off.state = "normal" if view.large_text else "down"
        self.app.apply_settings()

    def refresh(self) -> None:
        presenter = self.presenter()
        self.ids.server_url.text = presenter.view().server_url
        self.ids.timezone.text = presenter.view().timezone
        self.show(presenter)
        self.ids.message.text = ""

    def save_url(self) -> None:
        self.presenter().save_server_url(self.ids.server_url.text)

    def save_timezone(self) -> None:
        self.presenter().save_timezone(self.ids.timezone.text)

    def language(self, lang: Lang) -> None:
        self.presenter().set_language(lang)

    def large_text(self, on: bool) -> None:
        if on != (self.context.settings.get("large_text") == "1"):
            self.presenter().set_large_text(on)

    def back(self) -> None:
        self.app.back()
