"""What waits to sync, what went and what the server refused (with its reason): the finished
surveys no sync has taken yet, and every record of the sync outbox (``mobile/sync/store.py``:
pending, done, refused with the outcome)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mobile.forms import REVIEW_FORM
from mobile.i18n import Lang, tr
from mobile.presenters.clock import DEFAULT_ZONE, moment_text
from mobile.store.records import UserStore
from mobile.sync.bridge import refusal_text
from mobile.sync.store import DONE, PENDING, REFUSED, OutboxRecord

# Newest first within each group; waiting and refused come before sent, as they ask for work.
GROUPS = ("waiting", "refused", "sent")


@dataclass(frozen=True)
class OutboxLine:
    group: str
    title: str
    detail: str


@dataclass(frozen=True)
class OutboxView:
    lines: tuple[OutboxLine, ...]
    counts: dict[str, int]
    empty: str


class OutboxPresenter:
    def __init__(
        self,
        store: UserStore,
        records: Sequence[OutboxRecord],
        lang: Lang = "vi",
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self.store = store
        self.records = records
        self.lang = lang
        self.zone = zone

    def _household(self, household_id: object) -> str:
        found = self.store.household(household_id) if isinstance(household_id, int) else None
        return f"{found.code} · {found.head_name}" if found else tr("household_unknown", self.lang)

    def _title(self, record: OutboxRecord) -> str:
        body = record.body
        if record.kind == "survey":
            form = str(body.get("form_id", REVIEW_FORM))
            return f"{tr(f'form_{form}', self.lang)}: {self._household(body.get('household_id'))}"
        if record.kind == "household.create":
            return tr("outbox_new_household", self.lang, name=body.get("head_name", ""))
        if record.kind == "household.edit":
            return tr(
                "outbox_edit_household",
                self.lang,
                household=self._household(body.get("household_id")),
            )
        return tr("outbox_other", self.lang)

    def view(self) -> OutboxView:
        """Return the lines in their groups and each group's count."""
        lines: list[OutboxLine] = []
        queued = {record.id for record in self.records}
        for survey in self.store.surveys(["ready"]):
            if survey.survey_uuid in queued:
                continue
            title = (
                f"{tr(f'form_{survey.form_id}', self.lang)}: {self._household(survey.household_id)}"
            )
            detail = tr("finished_at", self.lang, time=moment_text(survey.updated_at, self.zone))
            lines.append(OutboxLine("waiting", title, detail))
        for record in reversed(self.records):
            if record.state == PENDING:
                lines.append(
                    OutboxLine("waiting", self._title(record), tr("outbox_pending", self.lang))
                )
            elif record.state == REFUSED:
                reason = refusal_text(record.outcome or {}, self.lang)
                lines.append(OutboxLine("refused", self._title(record), reason))
            elif record.state == DONE:
                lines.append(OutboxLine("sent", self._title(record), tr("outbox_done", self.lang)))
        lines.sort(key=lambda line: GROUPS.index(line.group))
        counts = {group: sum(line.group == group for line in lines) for group in GROUPS}
        return OutboxView(tuple(lines), counts, tr("outbox_empty", self.lang))
