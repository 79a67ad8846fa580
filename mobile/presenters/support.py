"""Exiting poverty on the tablet, offline: the hamlet head registers households
(``exit_registration``), the helping officer records visits to the households assigned to them
(``support_visit``, with photos). Both forms are filled on the form screen, kept in the store
like household surveys and pushed by the sync as surveys.

What the server knows comes from the pull: each registration of the user's hamlets arrives as
entity ``support`` (``docs/support.md``: household, year, status, needs, officers with their
``user_id``, plan), kept in the sync file; the screens read it from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mobile.forms import EXIT_REGISTRATION_FORM, VISIT_FORM
from mobile.i18n import Lang, tr
from mobile.presenters.form import format_date
from mobile.presenters.preview import class_text
from mobile.store.records import Household, Survey, UserStore
from shared.vocabulary import ON_LISTS


@dataclass(frozen=True)
class SupportRow:
    household_id: int
    title: str
    detail: str
    status: str
    status_text: str
    action: str
    survey_id: str | None


@dataclass(frozen=True)
class SupportView:
    title: str
    note: str
    rows: tuple[SupportRow, ...]
    summary: str


def _title(household: Household | None, household_id: int) -> str:
    return f"{household.code} · {household.head_name}" if household else str(household_id)


class _SupportList:
    form_id = ""

    def __init__(
        self,
        store: UserStore,
        registrations: Mapping[str, dict[str, Any]],
        today: date,
        lang: Lang = "vi",
    ) -> None:
        self.store = store
        self.registrations = registrations
        self.today = today
        self.lang = lang

    def _forms(self) -> dict[int, list[Survey]]:
        """Return this form's surveys on the tablet by household, newest first."""
        found: dict[int, list[Survey]] = {}
        for survey in self.store.surveys(form_id=self.form_id):
            found.setdefault(survey.household_id, []).append(survey)
        return found

    def open_form(self, household_id: int) -> Survey | None:
        """Return the household's draft or returned form to continue, None if there is none."""
        for survey in self._forms().get(household_id, []):
            if survey.state in ("draft", "returned"):
                return survey
        return None

    def _registration(self, household_id: int) -> dict[str, Any] | None:
        for data in self.registrations.values():
            if data.get("household_id") == household_id and data.get("year") == self.today.year:
                return data
        return None


class ExitRegistrationPresenter(_SupportList):
    """The hamlet head's list: the poor and near-poor households of their hamlets, each
    registered on the server, waiting on the tablet, or still to register."""

    form_id = EXIT_REGISTRATION_FORM

    def view(self) -> SupportView:
        """Return what the registration screen shows."""
        lang = self.lang
        forms = self._forms()
        rows = []
        for hamlet in self.store.hamlets():
            for household in self.store.households(hamlet.hamlet_id):
                if household.household_class not in ON_LISTS:
                    continue
                rows.append(self._row(household, hamlet.name, forms.get(household.household_id)))
        registered = sum(1 for row in rows if row.status in ("registered", "confirmed", "sent"))
        return SupportView(
            tr("entry_register", lang),
            tr("register_note", lang, year=self.today.year),
            tuple(rows),
            tr("registered_of", lang, n=registered, total=len(rows)),
        )

    def _row(self, household: Household, hamlet: str, forms: list[Survey] | None) -> SupportRow:
        lang = self.lang
        detail = f"{hamlet} · {class_text(household.household_class, lang)}"
        held = self._registration(household.household_id)
        latest = forms[0] if forms else None
        if held is not None:
            status = "confirmed" if held.get("status") == "confirmed" else "registered"
            action, survey_id = "", None
        elif latest is not None:
            status = latest.state
            reopen = latest.state in ("draft", "returned")
            action = tr("resume_survey", lang) if reopen else ""
            survey_id = latest.survey_id if reopen else None
            if latest.state == "returned" and latest.returned_comment:
                detail += f"\n{latest.returned_comment}"
        else:
            status, action, survey_id = "none", tr("register", lang), None
        return SupportRow(
            household.household_id,
            _title(household, household.household_id),
            detail,
            status,
            tr(f"registration_{status}", lang),
            action,
            survey_id,
        )


class MyHouseholdsPresenter(_SupportList):
    """The helping officer's households: the registrations of this year whose officers include
    the user, with the help they need, the plan and the visits recorded on this tablet."""

    form_id = VISIT_FORM

    def __init__(
        self,
        store: UserStore,
        registrations: Mapping[str, dict[str, Any]],
        today: date,
        lang: Lang = "vi",
        help_labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(store, registrations, today, lang)
        self.help_labels = help_labels or {}

    def mine(self) -> list[dict[str, Any]]:
        """Return the registrations assigned to the user, by household."""
        me = self.store.account.profile.server_user_id
        found = [
            data
            for data in self.registrations.values()
            if me is not None and any(o.get("user_id") == me for o in data.get("officers") or [])
        ]
        return sorted(found, key=lambda d: (d.get("year", 0), d.get("household_id", 0)))

    def view(self) -> SupportView:
        """Return what the "my households" screen shows."""
        lang = self.lang
        forms = self._forms()
        rows = [self._row(data, forms.get(int(data["household_id"]), [])) for data in self.mine()]
        return SupportView(
            tr("entry_my_households", lang),
            tr("visits_note", lang),
            tuple(rows),
            tr("households_n", lang, n=len(rows)),
        )

    def _row(self, data: dict[str, Any], forms: list[Survey]) -> SupportRow:
        lang = self.lang
        household_id = int(data["household_id"])
        household = self.store.household(household_id)
        needs = ", ".join(
            self.help_labels.get(str(n.get("help_type")), str(n.get("help_type")))
            for n in data.get("needs") or []
        )
        plan = data.get("plan") or []
        done = sum(1 for action in plan if action.get("status") == "done")
        lines = [
            f"{class_text(data.get('starting_class'), lang)} · "
            + tr("target", lang, date=format_date(data.get("target_date")) or "—"),
            f"{tr('needs', lang)}: {needs or tr('none', lang)}",
            tr("plan_progress", lang, done=done, n=len(plan)),
        ]
        draft = next((r for r in forms if r.state in ("draft", "returned")), None)
        kept = [r for r in forms if r.state in ("ready", "sent")]
        status = draft.state if draft else ("visited" if kept else "none")
        if draft is not None and draft.state == "returned" and draft.returned_comment:
            lines.append(draft.returned_comment)
        return SupportRow(
            household_id,
            _title(household, household_id),
            "\n".join(lines),
            status,
            tr(f"visit_{status}", lang, n=len(kept)),
            tr("resume_survey" if draft else "record_visit", lang),
            draft.survey_id if draft else None,
        )
