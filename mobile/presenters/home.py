"""Home: the user's hamlets, households to visit, drafts, waiting items, returned items and
how long ago the last successful sync finished."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mobile.i18n import Lang, tr
from mobile.store.records import UserStore


@dataclass(frozen=True)
class HamletView:
    hamlet_id: int
    name: str
    detail: str


@dataclass(frozen=True)
class ReviewLine:
    review_id: str
    household_id: int
    title: str
    detail: str


@dataclass(frozen=True)
class HomeView:
    greeting: str
    hamlets: tuple[HamletView, ...]
    to_visit: int
    drafts: tuple[ReviewLine, ...]
    waiting: int
    returned: tuple[ReviewLine, ...]
    last_sync: str
    stale: bool


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
    ) -> None:
        self.store = store
        self.lang = lang
        self.now = now

    def _line(self, review_id: str, household_id: int, detail: str) -> ReviewLine:
        household = self.store.household(household_id)
        title = f"{household.code} · {household.head_name}" if household else str(household_id)
        return ReviewLine(review_id, household_id, title, detail)

    def view(self) -> HomeView:
        """Return what the home screen shows."""
        store, lang = self.store, self.lang
        counts = store.household_counts()
        states = store.review_states()
        hamlets = tuple(
            HamletView(h.hamlet_id, h.name, tr("households_n", lang, n=counts.get(h.hamlet_id, 0)))
            for h in store.hamlets()
        )
        reviewed = {hid for hid, state in states.items() if state != "draft"}
        to_visit = sum(counts.values()) - len(reviewed)
        drafts = tuple(
            self._line(r.review_id, r.household_id, r.updated_at[:16].replace("T", " "))
            for r in store.reviews(["draft"])
        )
        returned = tuple(
            self._line(r.review_id, r.household_id, r.returned_comment)
            for r in store.reviews(["returned"])
        )
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
        )
