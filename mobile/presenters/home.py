"""Home: the user's hamlets, households to visit, drafts, waiting items, returned items and
how long ago the last successful sync finished."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, tr
from mobile.presenters.clock import DEFAULT_ZONE, moment_text
from mobile.presenters.detail import SURVEYING_ROLES
from mobile.store.records import Survey, UserStore


@dataclass(frozen=True)
class HamletView:
    hamlet_id: int
    name: str
    detail: str


@dataclass(frozen=True)
class SurveyLine:
    survey_id: str
    household_id: int
    title: str
    detail: str
    form_id: str = REVIEW_FORM


@dataclass(frozen=True)
class Entry:
    """A task of the user's role: the screen it opens (with ``mode``) and its title."""

    screen: str
    mode: str
    title: str


@dataclass(frozen=True)
class HomeView:
    greeting: str
    hamlets: tuple[HamletView, ...]
    to_visit: int
    drafts: tuple[SurveyLine, ...]
    waiting: int
    returned: tuple[SurveyLine, ...]
    last_sync: str
    stale: bool
    entries: tuple[Entry, ...] = ()
    # Whether the user fills household surveys (the to-visit count and its hints are theirs).
    surveys: bool = True


# The tasks each role finds on the home screen, beside the hamlets every role can read
# (``server/auth/policy.py``: register_exits, record_meetings, record_visits, manage_review).
_ENTRIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "hamlet_head": (("support", "register", "entry_register"), ("meeting", "", "entry_meeting")),
    "helping_officer": (("support", "visits", "entry_my_households"),),
    "commune_officer": (
        ("queue", "", "entry_queue"),
        ("support", "register", "entry_register"),
        ("meeting", "", "entry_meeting"),
    ),
}


# After this long without a good sync the home screen warns: reviewers cannot see the work and
# returned items are not received.
STALE_AFTER_HOURS = 72


def sync_age(last: datetime | None, now: datetime, lang: Lang) -> str:
    """Return how long ago ``last`` was, in words."""
    if last is None:
        return tr("never", lang)
    minutes = int((now - last).total_seconds() // 60)
    if minutes < 2:
        return tr("just_now", lang)
    if minutes < 120:
        return tr("minutes_ago", lang, n=minutes)
    if minutes < 48 * 60:
        return tr("hours_ago", lang, n=minutes // 60)
    return tr("days_ago", lang, n=minutes // (24 * 60))


class HomePresenter:
    def __init__(
        self,
        store: UserStore,
        lang: Lang = "vi",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self.store = store
        self.lang = lang
        self.now = now
        self.zone = zone

    def _line(self, survey: Survey, detail: str) -> SurveyLine:
        household = self.store.household(survey.household_id)
        title = (
            f"{household.code} · {household.head_name}" if household else str(survey.household_id)
        )
        if survey.form_id != REVIEW_FORM:
            title = f"{tr(f'form_{survey.form_id}', self.lang)}: {title}"
        return SurveyLine(survey.survey_id, survey.household_id, title, detail, survey.form_id)

    def entries(self) -> tuple[Entry, ...]:
        """Return the tasks of the user's role."""
        role = self.store.account.profile.role
        found = _ENTRIES.get(role, ())
        return tuple(Entry(screen, mode, tr(key, self.lang)) for screen, mode, key in found)

    def view(self) -> HomeView:
        """Return what the home screen shows."""
        store, lang = self.store, self.lang
        counts = store.household_counts()
        done = store.done_counts(REVIEW_FORM)
        hamlets = tuple(
            HamletView(
                h.hamlet_id,
                h.name,
                tr(
                    "hamlet_progress",
                    lang,
                    done=done.get(h.hamlet_id, 0),
                    left=counts.get(h.hamlet_id, 0) - done.get(h.hamlet_id, 0),
                ),
            )
            for h in store.hamlets()
        )
        to_visit = sum(counts.values()) - sum(done.values())
        drafts = tuple(
            self._line(r, tr("saved_at", lang, time=moment_text(r.updated_at, self.zone)))
            for r in store.surveys(["draft"])
        )
        returned = tuple(self._line(r, r.returned_comment) for r in store.surveys(["returned"]))
        last = store.last_successful_sync()
        now = self.now()
        return HomeView(
            tr("hello", lang, name=store.account.profile.full_name),
            hamlets,
            to_visit,
            drafts,
            store.state_counts().get("ready", 0),
            returned,
            sync_age(last, now, lang),
            last is None or (now - last).total_seconds() > STALE_AFTER_HOURS * 3600,
            self.entries(),
            store.account.profile.role in SURVEYING_ROLES,
        )
