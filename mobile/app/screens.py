"""Every screen by name; the kv file of each is ``<name>.kv`` beside it."""

from __future__ import annotations

from kivy.uix.screenmanager import Screen

from mobile.app.detail import DetailScreen
from mobile.app.form import FormScreen
from mobile.app.hamlet_map import MapScreen
from mobile.app.home import HomeScreen
from mobile.app.household_edit import HouseholdEditScreen
from mobile.app.households import HouseholdsScreen
from mobile.app.meeting import MeetingScreen
from mobile.app.member import MemberScreen
from mobile.app.outbox import OutboxScreen
from mobile.app.preview import PreviewScreen
from mobile.app.queue import QueueScreen
from mobile.app.settings import SettingsScreen
from mobile.app.signin import SignInScreen
from mobile.app.support import SupportScreen
from mobile.app.sync import SyncScreen

SCREENS: dict[str, type[Screen]] = {
    "signin": SignInScreen,
    "home": HomeScreen,
    "households": HouseholdsScreen,
    "detail": DetailScreen,
    "form": FormScreen,
    "preview": PreviewScreen,
    "sync": SyncScreen,
    "settings": SettingsScreen,
    "support": SupportScreen,
    "queue": QueueScreen,
    "meeting": MeetingScreen,
    "outbox": OutboxScreen,
    "household_edit": HouseholdEditScreen,
    "member": MemberScreen,
    "hamlet_map": MapScreen,
}
