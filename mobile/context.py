"""Everything a running tablet app holds, Kivy-free: the database, the signed-in user's store,
the forms, the device facades and the sync port. The Kivy app builds one; tests build one too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from mobile.facades.camera import Camera, FakeCamera
from mobile.facades.location import FakeLocator, Locator
from mobile.forms import REVIEW_FORM, prefill
from mobile.i18n import Lang
from mobile.presenters.preview import PreviewStandard, preview_standard, round_list_year
from mobile.review_api import ReviewApi
from mobile.store import Accounts, Settings, UserStore, open_database
from mobile.store.accounts import Account
from mobile.store.crypto import DEFAULT_COST
from mobile.store.records import Survey
from mobile.sync.bridge import EngineSync, pulled, sync_store
from mobile.sync.store import OutboxRecord, Store
from mobile.sync_port import Outcome, SyncPort
from shared.forms import Catalog, Form, shipped
from shared.standards import load_catalog

# Generous for a 3G link; a request that takes longer is retried by the sync engine.
HTTP_TIMEOUT = httpx.Timeout(60.0, connect=15.0)


def engine_sync(context: AppContext) -> SyncPort:
    """Return the real sync for the signed-in user, talking to the configured server."""
    return EngineSync(context.data_dir, context.user_store().account, context.http(), context.lang)


def _confirmed_roster(form: Form) -> frozenset[str]:
    """Return the questions of the survey's roster when it starts from last year's members
    (household_review 2 on: each row confirmed with ``member_status``), else nothing."""
    if "member_status" not in form.nodes:
        return frozenset()
    return frozenset(name for name, node in form.nodes.items() if "members" in node.rosters)


@dataclass
class AppContext:
    data_dir: Path
    camera: Camera = field(default_factory=FakeCamera)
    locator: Locator = field(default_factory=FakeLocator)
    sync_factory: Callable[[AppContext], SyncPort] = engine_sync
    catalog: Catalog = field(default_factory=shipped)
    kdf_cost: int = DEFAULT_COST
    today: Callable[[], date] = date.today

    def __post_init__(self) -> None:
        self.db = open_database(self.data_dir / "rasoat.sqlite3")
        self.settings = Settings(self.db)
        self.accounts = Accounts(self.db, kdf_cost=self.kdf_cost)
        self.store: UserStore | None = None
        self._http: tuple[str, httpx.Client] | None = None

    @property
    def zone(self) -> str:
        """Return the time zone times are shown in (a setting, Asia/Ho_Chi_Minh by default)."""
        return self.settings.get("timezone")

    @property
    def lang(self) -> Lang:
        return "en" if self.settings.get("language") == "en" else "vi"

    def signed_in(self, account: Account) -> UserStore:
        """Open the user's store; return it."""
        self.store = UserStore(self.db, account, self.data_dir / "photos")
        self.settings.set("last_user", account.profile.username)
        return self.store

    def sign_out(self) -> None:
        """Forget the user's data key."""
        self.store = None

    def user_store(self) -> UserStore:
        assert self.store is not None, "nobody is signed in"
        return self.store

    def survey_form(self, survey: Survey | None = None) -> Form:
        """Return the form of ``survey`` (the version it was started in), or the latest."""
        if survey is None:
            return self.catalog.get(REVIEW_FORM)
        return self.catalog.get(survey.form_id, survey.form_version)

    def start_survey(self, household_id: int) -> Survey:
        """Return a new household survey draft, pre-filled with what the tablet knows."""
        return self.start_form(REVIEW_FORM, household_id)

    def start_form(self, form_id: str, household_id: int) -> Survey:
        """Return a new draft of the latest ``form_id`` for the household, pre-filled with what
        the tablet knows (``mobile.forms.prefill``)."""
        store = self.user_store()
        form = self.catalog.get(form_id)
        survey = store.new_survey(household_id, form.id, form.version)
        household = store.household(household_id)
        hamlet = {h.hamlet_id: h for h in store.hamlets()}.get(
            household.hamlet_id if household else -1
        )
        node = form.nodes.get("deprivations")
        indicators = frozenset(c.value for c in node.choices) if node is not None else frozenset()
        survey.envelope["answers"].update(
            prefill(
                form.id,
                household,
                hamlet,
                store.account.profile.full_name,
                self.today(),
                indicators,
                roster=_confirmed_roster(form),
            )
        )
        survey.envelope["meta"] = {"device": self.settings.device_id()}
        store.save_survey(survey)
        return survey

    def labels(self) -> dict[str, str]:
        """Return names for people of relations (from the survey form) and indicators (of
        every standard: a household's latest class may stand under the list year's standard
        of its round, not today's), in the app's language."""
        form = self.survey_form()
        found = {c.value: getattr(c.label, self.lang) for c in form.nodes["relation"].choices}
        for standard in load_catalog().standards:
            found.update({i.id: i.title[self.lang] for i in standard.indicators})
        return found

    def preview_standard(self, survey: Survey) -> PreviewStandard:
        """Return the standard a survey's preview classifies under: that of the list the
        household's open round makes, as the server will classify the survey. The tablet
        learns of rounds from the review cases it pulls (``review_case``, with the round's
        ``list_year``); a household in no round it knows of falls back to the engine's rule,
        the standard in force on the survey's reference date."""
        reference = survey.envelope.get("answers", {}).get("reference_date")
        try:
            on = date.fromisoformat(str(reference))
        except ValueError:
            on = self.today()
        cases = pulled(self.data_dir, self.user_store().account, "review_case")
        list_year = round_list_year(cases, survey.household_id, on.year)
        return preview_standard(list_year, on, self.lang)

    def choice_labels(self, form_id: str, question_id: str) -> dict[str, str]:
        """Return the names of a question's choices in the app's language."""
        node = self.catalog.get(form_id).nodes[question_id]
        return {c.value: getattr(c.label, self.lang) for c in node.choices}

    def support_items(self) -> dict[str, dict[str, Any]]:
        """Return the exit registrations of the user's hamlets as last pulled (entity
        ``support``, kept in the sync file)."""
        return pulled(self.data_dir, self.user_store().account, "support")

    def outbox(self) -> Store:
        """Open the signed-in user's sync file (the caller closes it)."""
        return sync_store(self.data_dir, self.user_store().account)

    def outbox_records(self) -> list[OutboxRecord]:
        """Return every record of the user's sync outbox (pending, done, refused)."""
        outbox = sync_store(self.data_dir, self.user_store().account)
        try:
            return outbox.outbox()
        finally:
            outbox.close()

    def review_api(self) -> ReviewApi:
        """Return the review round's online calls for the signed-in user."""
        account = self.user_store().account
        return ReviewApi(
            self.http(),
            lambda: self.accounts.tokens(account),
            lambda fresh: self.accounts.save_tokens(account, fresh),
            self.lang,
        )

    def http(self) -> httpx.Client:
        """Return the HTTP client for the configured server (a new one when it changed)."""
        url = self.settings.get("server_url")
        if self._http is None or self._http[0] != url:
            if self._http is not None:
                self._http[1].close()
            self._http = (url, httpx.Client(base_url=url, timeout=HTTP_TIMEOUT))
        return self._http[1]

    def sync_port(self) -> SyncPort:
        return self.sync_factory(self)

    def record_sync(self, outcome: Outcome) -> None:
        self.user_store().record_sync(
            outcome.ok,
            outcome.sent,
            outcome.received,
            None if outcome.failure is None else str(outcome.failure),
        )
