"""Household detail: members, class history, latest deprivations with reasons, photos, reviewer
comments, and the button that starts or resumes a survey."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, tr
from mobile.presenters.comments import comment_lines, returned_texts
from mobile.presenters.preview import class_text, missing_label
from mobile.store.records import Survey, UserStore
from shared.forms import Form

# The roles holding submit_surveys (server/auth/policy.py); others read the household only.
SURVEYING_ROLES = ("enumerator", "commune_officer")


@dataclass(frozen=True)
class DetailView:
    title: str
    address: str
    class_text: str
    members: tuple[str, ...]
    history: tuple[str, ...]
    deprivations: tuple[str, ...]
    photos: tuple[str, ...]
    comments: tuple[str, ...]
    action: str
    survey_id: str | None
    status: str = ""
    # Details and members are corrected, and a household split, by those who survey it, once
    # the server knows the household.
    can_edit: bool = False
    temporary_note: str = ""
    # Each member's number, beside ``members``: the line opens the member's page.
    member_nos: tuple[str, ...] = ()


def round_survey(store: UserStore, household_id: int, year: int) -> Survey | None:
    """Return the household's survey of this year's round (the latest started this year),
    None when it has none: a household is reviewed once per round; a returned survey is
    corrected, never started again."""
    for survey in store.household_surveys(household_id, REVIEW_FORM):
        if survey.created_at[:4] == str(year):
            return survey
    return None


def editable(survey: Survey) -> bool:
    """Return whether the enumerator may still change the survey: a draft, a returned one, or
    a finished one no sync has taken yet (once queued it goes as it was)."""
    return survey.state in ("draft", "returned") or (
        survey.state == "ready" and not survey.survey_uuid
    )


def _age(birth: object, today: date) -> str:
    if not isinstance(birth, str):
        return ""
    try:
        born = date.fromisoformat(birth)
    except ValueError:
        return ""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years}"


class DetailPresenter:
    def __init__(
        self,
        store: UserStore,
        household_id: int,
        today: date,
        lang: Lang = "vi",
        labels: Mapping[str, str] | None = None,
        form: Form | None = None,
    ):
        self.labels = labels or {}
        self.form = form
        self.store = store
        self.household_id = household_id
        self.today = today
        self.lang = lang

    def _surveys(self) -> bool:
        """Return whether the user's role fills household surveys (``submit_surveys``)."""
        return self.store.account.profile.role in SURVEYING_ROLES

    def round_survey(self) -> Survey | None:
        """Return the household's survey of this round, None if it has none yet."""
        return round_survey(self.store, self.household_id, self.today.year)

    def open_survey(self) -> Survey | None:
        """Return the household's survey of this round that may still be changed, None when
        there is none."""
        survey = self.round_survey()
        return survey if survey is not None and editable(survey) else None

    def _action(self, survey: Survey | None) -> tuple[str, str]:
        """Return the button's text ("" for none) and the survey's state in words."""
        if survey is None:
            return tr("start_survey", self.lang), ""
        if survey.state == "ready":
            if survey.survey_uuid:
                return "", tr("survey_sending", self.lang)
            return tr("edit_finished", self.lang), tr("survey_finished", self.lang)
        if survey.state == "sent":
            return "", tr("survey_sent", self.lang)
        return tr("resume_survey", self.lang), tr(f"status_{survey.state}", self.lang)

    def view(self) -> DetailView:
        """Return what the detail screen shows."""
        household = self.store.household(self.household_id)
        assert household is not None
        lang = self.lang
        members = tuple(
            " · ".join(
                part
                for part in (
                    str(m.get("full_name", "")),
                    _age(m.get("birth_date"), self.today),
                    self.labels.get(str(m.get("relation")), str(m.get("relation") or "")),
                )
                if part
            )
            for m in household.members
        )
        history = tuple(
            f"{h.get('year')}: {class_text(h.get('household_class'), lang)}"
            for h in household.history
        )
        latest = household.latest or {}
        deprivations = tuple(
            f"{self.labels.get(name, name)}: {found.get('reason', '')}"
            for name, found in (latest.get("indicators") or {}).items()
            if found.get("status") == "deprived"
        )
        survey = self.round_survey()
        action, status = self._action(survey)
        photos: tuple[str, ...] = ()
        if survey is not None:
            # Named by the question they answer ("Ảnh nhà ở"), never by their file.
            photos = tuple(
                missing_label(self.form, p["question"], lang)
                if self.form
                else tr("photo_taken", lang)
                for p in self.store.photos(survey.survey_id)
            )
        comments = tuple(household.comments)
        if survey is not None and survey.returned_comment:
            comments = (*returned_texts(survey.returned_comment), *comments)
        if self.form is not None:
            comments = comment_lines(comments, self.form, lang)
        return DetailView(
            f"{household.code} · {household.head_name}",
            household.address,
            class_text(household.household_class, lang),
            members,
            history,
            deprivations,
            photos,
            comments,
            action if self._surveys() else "",
            survey.survey_id if survey else None,
            status,
            self._surveys() and not household.temporary,
            tr("temporary_code", lang, code=household.code) if household.temporary else "",
            tuple(str(m.get("member_no", i + 1)) for i, m in enumerate(household.members)),
        )
