"""Household detail: members, class history, latest deprivations with reasons, photos, reviewer
comments, and the button that starts or resumes a review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, tr
from mobile.presenters.preview import class_text
from mobile.store.records import Review, UserStore

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
    review_id: str | None


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
    ):
        self.labels = labels or {}
        self.store = store
        self.household_id = household_id
        self.today = today
        self.lang = lang

    def _surveys(self) -> bool:
        """Return whether the user's role fills household reviews (``submit_surveys``)."""
        return self.store.account.profile.role in SURVEYING_ROLES

    def open_review(self) -> Review | None:
        """Return the household's draft or returned review to continue, None if there is none."""
        for review in self.store.reviews(["draft", "returned"], REVIEW_FORM):
            if review.household_id == self.household_id:
                return review
        return None

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
        review = self.open_review()
        photos: tuple[str, ...] = ()
        if review is not None:
            photos = tuple(p["file"] for p in self.store.photos(review.review_id))
        comments = tuple(household.comments)
        if review is not None and review.returned_comment:
            comments = (review.returned_comment, *comments)
        return DetailView(
            f"{household.code} · {household.head_name}",
            household.address,
            class_text(household.household_class, lang),
            members,
            history,
            deprivations,
            photos,
            comments,
            tr("resume_review" if review else "start_review", lang) if self._surveys() else "",
            review.review_id if review else None,
        )
