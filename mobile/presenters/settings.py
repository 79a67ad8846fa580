"""Settings: server address, language (Vietnamese by default, English), large text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from mobile.i18n import Lang, tr
from mobile.presenters.clock import is_zone
from mobile.store.records import Settings


@dataclass(frozen=True)
class SettingsView:
    server_url: str
    language: Lang
    large_text: bool
    message: str
    timezone: str = ""


class SettingsPresenter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.message = ""
        self.changed: Callable[[], None] = lambda: None

    @property
    def lang(self) -> Lang:
        return "en" if self.settings.get("language") == "en" else "vi"

    @property
    def large_text(self) -> bool:
        return self.settings.get("large_text") == "1"

    def view(self) -> SettingsView:
        return SettingsView(
            self.settings.get("server_url"),
            self.lang,
            self.large_text,
            self.message,
            self.settings.get("timezone"),
        )

    def save_timezone(self, name: str) -> bool:
        """Store the time zone times are shown in when it is a known zone ("Asia/Ho_Chi_Minh");
        return whether it was stored."""
        name = name.strip()
        if not is_zone(name):
            self.message = tr("bad_timezone", self.lang)
            self.changed()
            return False
        self.settings.set("timezone", name)
        self.message = tr("saved", self.lang)
        self.changed()
        return True

    def save_server_url(self, url: str) -> bool:
        """Store the server address when it is an http(s) URL; return whether it was stored."""
        url = url.strip().rstrip("/")
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            self.message = tr("bad_url", self.lang)
            self.changed()
            return False
        self.settings.set("server_url", url)
        self.message = tr("saved", self.lang)
        self.changed()
        return True

    def set_language(self, lang: Lang) -> None:
        self.settings.set("language", lang)
        self.message = ""
        self.changed()

    def set_large_text(self, on: bool) -> None:
        self.settings.set("large_text", "1" if on else "0")
        self.changed()
