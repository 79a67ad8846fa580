"""Filling a form: pages, questions shown by relevance, inline messages, rosters, photos, GPS.

The form comes from ``forms/`` and every check is the shared forms engine's
(``check_answers``), so the tablet says exactly what the server will say. The draft keeps the
answers as typed (a half-typed date stays as typed) and is written through to the store on every
change, with the place the enumerator is at, so a killed app resumes on the same question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from mobile.facades.camera import Camera, Photo
from mobile.facades.location import Fix, Locator
from mobile.i18n import Lang, tr
from mobile.presenters import UiDispatch, immediately
from mobile.presenters.comments import returned_texts, split_comments
from mobile.presenters.preview import missing_label
from mobile.store.records import Survey
from shared.errors import IssueCode
from shared.forms import Filled, Form, Issue, check_answers
from shared.forms.conditions import evaluate, truth
from shared.forms.form import AnswerEnv
from shared.forms.model import (
    CalculateQuestion,
    GroupQuestion,
    NoteQuestion,
    PhotoQuestion,
    Question,
    RosterQuestion,
    SelectMultipleQuestion,
    SelectOneQuestion,
    TextQuestion,
)

_DMY = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


class SurveySink(Protocol):
    """Where the presenter writes the draft and its photos (the user's store)."""

    def save_survey(self, survey: Survey) -> None: ...

    def save_photo(self, survey_id: str, question: str, jpeg: bytes, sha256: str) -> str: ...


@dataclass(frozen=True)
class Message:
    severity: str
    text: str


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class RowView:
    index: int
    title: str
    problems: int


@dataclass(frozen=True)
class ItemView:
    """One thing to draw on the page: a question, a note, a calculated value or a roster."""

    kind: str
    id: str
    path: str
    label: str
    hint: str = ""
    required: bool = False
    text: str = ""
    value: Any = None
    unit: str = ""
    multiline: bool = False
    choices: tuple[ChoiceView, ...] = ()
    rows: tuple[RowView, ...] = ()
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True)
class IndexEntry:
    """A question in the form's index: answered, required, its errors; ``path`` jumps there."""

    path: str
    label: str
    answered: bool
    required: bool
    errors: int


@dataclass(frozen=True)
class SectionIndex:
    page: int
    title: str
    answered: int
    required: int
    errors: int
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class ErrorLine:
    """An error left at Finish, named by its section and question; ``path`` jumps there."""

    path: str
    text: str


@dataclass(frozen=True)
class PageView:
    title: str
    subtitle: str
    items: tuple[ItemView, ...]
    in_row: bool
    first: bool
    last: bool
    errors: int
    saved_at: str


def format_date(value: object) -> str:
    """Return an ISO date as day/month/year, the way Vietnamese forms write it; other text as
    it was typed."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return ""


def parse_date_text(text: str) -> str:
    """Return day/month/year or ISO text as an ISO date; anything else unchanged, so the
    forms engine reports it as an invalid date."""
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text.strip()
    return text.strip()


def parse_number(text: str, integer: bool) -> object:
    """Return the number typed (a comma is a decimal point, spaces and dots group thousands in
    whole numbers); text that is not a number is kept, for the engine to report."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    try:
        if integer:
            return int(cleaned.replace(".", "").replace(",", ""))
        return float(cleaned.replace(",", "."))
    except ValueError:
        return text


def _show_number(value: object, lang: Lang = "vi") -> str:
    """Return a number as people write it: no ".0" on whole numbers, a decimal comma in
    Vietnamese ("9,5")."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text.replace(".", ",") if lang == "vi" and isinstance(value, float) else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _pages(questions: Sequence[Question]) -> list[Question]:
    return [q for q in questions if not isinstance(q, CalculateQuestion) or q.label is not None]


class FormPresenter:
    """Drives one survey of one form. ``changed`` is called after every change of the view."""

    def __init__(
        self,
        form: Form,
        survey: Survey,
        sink: SurveySink,
        camera: Camera,
        locator: Locator,
        lang: Lang = "vi",
        dispatch: UiDispatch = immediately,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.form = form
        self.survey = survey
        self.sink = sink
        self.camera = camera
        self.locator = locator
        self.lang = lang
        self.dispatch = dispatch
        self.now = now
        self.pages = _pages(form.questions)
        self.changed: Callable[[], None] = lambda: None
        self.notice = ""
        self.busy: set[str] = set()
        position = survey.position
        self.page = min(int(position.get("page", 0)), len(self.pages) - 1)
        self.stack: list[tuple[str, int]] = [
            (str(roster), int(row)) for roster, row in position.get("rows", [])
        ]
        self.revealed: set[int] = set(position.get("revealed", []))
        self.filled: Filled = check_answers(form, survey.envelope)
        self._issues = self._index(self.filled.issues)
        self._repair_stack()
        self.comments, self.general_comments = split_comments(
            returned_texts(survey.returned_comment), form
        )
        if survey.state == "returned" and self.comments and not position.get("opened"):
            # A returned survey opens at the first question a reviewer commented on.
            first = min(self.comments, key=self._order)
            self.go_to_path(first)
            self.survey.position["opened"] = True
            self.sink.save_survey(self.survey)

    def _order(self, path: str) -> tuple[int, str]:
        node = self.form.nodes.get(re.split(r"[.\[]", path.rsplit(".", 1)[-1])[0])
        return (node.ordinal if node is not None else 10**6, path)

    # Reading.
    @property
    def answers(self) -> dict[str, Any]:
        raw = self.survey.envelope.setdefault("answers", {})
        assert isinstance(raw, dict)
        return raw

    def _text(self, label: Mapping[str, str] | Any) -> str:
        if label is None:
            return ""
        return str(getattr(label, self.lang))

    @staticmethod
    def _index(issues: Sequence[Issue]) -> dict[str, list[Issue]]:
        found: dict[str, list[Issue]] = {}
        for issue in issues:
            found.setdefault(issue.path, []).append(issue)
        return found

    def _raw_container(self) -> dict[str, Any]:
        container = self.answers
        for roster, row in self.stack:
            rows = container.get(roster)
            assert isinstance(rows, list)
            container = rows[row]
        return container

    def _clean_stack(self) -> tuple[tuple[str, Mapping[str, object], int], ...]:
        stack: list[tuple[str, Mapping[str, object], int]] = []
        container: Mapping[str, object] = self.filled.answers
        for roster, row in self.stack:
            rows = container.get(roster)
            clean = rows[row] if isinstance(rows, list) and row < len(rows) else {}
            stack.append((roster, clean, row))
            container = clean
        return tuple(stack)

    def _prefix(self) -> str:
        return "".join(f"{roster}[{row}]." for roster, row in self.stack)

    def _env(self) -> AnswerEnv:
        return AnswerEnv(self.form, self.filled.answers, self._clean_stack())

    def _relevant(self, question: Question, env: AnswerEnv) -> bool:
        node = self.form.nodes[question.id]
        return node.relevant is None or truth(evaluate(node.relevant, env)) is True

    def _required(self, question: Question, env: AnswerEnv) -> bool:
        required = self.form.nodes[question.id].required
        if isinstance(required, bool):
            return required
        return truth(evaluate(required, env)) is True

    def _current_questions(self) -> Sequence[Question]:
        if self.stack:
            roster = self.form.nodes[self.stack[-1][0]].question
            assert isinstance(roster, RosterQuestion)
            return roster.questions
        page = self.pages[self.page]
        return page.questions if isinstance(page, GroupQuestion) else [page]

    def _issue_text(self, issue: Issue) -> str:
        """Return an issue in the app's words where the tablet asks differently from the
        engine (a date is typed day/month/year here)."""
        if issue.code == IssueCode.INVALID_DATE:
            return tr("date_format", self.lang)
        return issue.message(self.lang)

    def _messages(self, path: str, own_page_revealed: bool) -> tuple[Message, ...]:
        shown = []
        for issue in self._issues.get(path, []):
            if issue.code == IssueCode.REQUIRED and not own_page_revealed:
                continue
            shown.append(Message(issue.severity, self._issue_text(issue)))
        for text in self.comments.get(path, []):
            shown.append(Message("comment", tr("reviewer_said", self.lang, text=text)))
        return tuple(shown)

    def view(self) -> PageView:
        """Return what the current page shows."""
        env = self._env()
        revealed = self.page in self.revealed
        items: list[ItemView] = []
        self._items(self._current_questions(), env, revealed, items)
        page = self.pages[self.page]
        title = self._text(page.label)
        subtitle = tr("page_of", self.lang, n=self.page + 1, total=len(self.pages))
        if self.stack:
            roster_id, row = self.stack[-1]
            roster = self.form.nodes[roster_id].question
            assert isinstance(roster, RosterQuestion)
            subtitle = self._row_title(roster, row)
        return PageView(
            title=title,
            subtitle=subtitle,
            items=tuple(items),
            in_row=bool(self.stack),
            first=self.page == 0,
            last=self.page == len(self.pages) - 1,
            errors=len(self.filled.errors),
            saved_at=self.survey.updated_at,
        )

    def _items(
        self, questions: Sequence[Question], env: AnswerEnv, revealed: bool, out: list[ItemView]
    ) -> None:
        raw = self._raw_container()
        clean = env.stack[-1][1] if env.stack else self.filled.answers
        prefix = self._prefix()
        for question in questions:
            if not self._relevant(question, env):
                continue
            path = f"{prefix}{question.id}"
            label = self._text(question.label)
            hint = self._text(getattr(question, "hint", None))
            if isinstance(question, GroupQuestion):
                out.append(ItemView("heading", question.id, path, label, hint))
                self._items(question.questions, env, revealed, out)
            elif isinstance(question, NoteQuestion):
                out.append(ItemView("note", question.id, path, label, hint))
            elif isinstance(question, CalculateQuestion):
                if question.label is None:
                    continue  # a working value of the form (such as in_household), not shown
                value = clean.get(question.id)
                out.append(
                    ItemView(
                        "calculate", question.id, path, label, text=_show_number(value, self.lang)
                    )
                )
            elif isinstance(question, RosterQuestion):
                rows = raw.get(question.id)
                count = len(rows) if isinstance(rows, list) else 0
                out.append(
                    ItemView(
                        "roster",
                        question.id,
                        path,
                        label,
                        hint,
                        text=_lower_first(self._text(question.row_label) or label),
                        rows=tuple(
                            RowView(
                                i,
                                self._row_title(question, i),
                                sum(
                                    len(found)
                                    for where, found in self._issues.items()
                                    if where.startswith(f"{path}[{i}].")
                                ),
                            )
                            for i in range(count)
                        ),
                        messages=self._messages(path, revealed),
                    )
                )
            elif isinstance(question, TextQuestion) and question.read_only:
                # Written by the tablet (a member's number in the registry): shown when
                # there is one, never typed; a person new to the household has none.
                value = raw.get(question.id)
                if isinstance(value, str) and value:
                    out.append(ItemView("calculate", question.id, path, label, text=value))
            else:
                out.append(self._question(question, path, raw.get(question.id), env, revealed))

    def _question(
        self, question: Question, path: str, value: Any, env: AnswerEnv, revealed: bool
    ) -> ItemView:
        kind = question.type
        text = ""
        choices: tuple[ChoiceView, ...] = ()
        unit = self._text(getattr(question, "unit", None))
        if kind == "date":
            text = format_date(value)
        elif kind in ("integer", "decimal"):
            text = _show_number(value, self.lang) if not isinstance(value, str) else value
        elif kind == "text":
            text = value if isinstance(value, str) else ""
        elif isinstance(question, SelectOneQuestion | SelectMultipleQuestion):
            picked = value if isinstance(value, list) else [value]
            choices = tuple(
                ChoiceView(c.value, self._text(c.label), c.value in picked)
                for c in self.form.nodes[question.id].choices
            )
        elif kind == "gps" and isinstance(value, dict):
            text = self._gps_text(value)
        elif kind == "photo" and isinstance(value, dict) and value.get("file"):
            text = tr("photo_taken", self.lang)
        if path in self.busy:
            text = tr("locating", self.lang) if kind == "gps" else text
        return ItemView(
            kind,
            question.id,
            path,
            self._text(question.label),
            self._text(getattr(question, "hint", None)),
            required=self._required(question, env),
            text=text,
            value=value,
            unit=unit,
            multiline=isinstance(question, TextQuestion) and question.multiline,
            choices=choices,
            messages=self._messages(path, revealed),
        )

    def _gps_text(self, value: Mapping[str, Any]) -> str:
        try:
            accuracy = tr("accuracy", self.lang, m=round(float(value.get("accuracy_m", 0))))
            return f"{float(value['latitude']):.5f}, {float(value['longitude']):.5f} ({accuracy})"
        except (KeyError, TypeError, ValueError):
            return ""

    def _row_title(self, roster: RosterQuestion, row: int) -> str:
        label = self._text(roster.row_label) or self._text(roster.label)
        rows = self.answers_at(roster.id)
        name = ""
        if row < len(rows):
            for question in roster.questions:
                value = rows[row].get(question.id)
                if isinstance(question, TextQuestion) and isinstance(value, str) and value:
                    name = value
                    break
        return f"{label} {row + 1}" + (f": {name}" if name else "")

    def answers_at(self, roster_id: str) -> list[dict[str, Any]]:
        """Return the raw rows of a roster at the current place (or in the enclosing row)."""
        container = self.answers
        node = self.form.nodes[roster_id]
        for roster, row in self.stack:
            if roster in node.rosters:
                container = container[roster][row]
        rows = container.get(roster_id)
        return rows if isinstance(rows, list) else []

    # Writing: every change goes straight to the store.
    def _commit(self) -> None:
        if self.survey.state == "ready":
            # A finished survey no sync has taken yet is corrected like a draft, and must be
            # finished again before it goes.
            self.survey.state = "draft"
            self.survey.envelope.get("meta", {}).pop("completed_at", None)
            self.notice = tr("reopened", self.lang)
        self.filled = check_answers(self.form, self.survey.envelope)
        self._issues = self._index(self.filled.issues)
        self.survey.position = {
            "page": self.page,
            "rows": [list(entry) for entry in self.stack],
            "revealed": sorted(self.revealed),
            "opened": bool(self.survey.position.get("opened")),
        }
        meta = self.survey.envelope.setdefault("meta", {})
        meta.setdefault("started_at", self.now().isoformat())
        self.sink.save_survey(self.survey)
        self.changed()

    def set_value(self, question_id: str, value: object) -> None:
        """Record an answer at the current place; None or "" clears it."""
        container = self._raw_container()
        if value is None or value == "" or value == []:
            container.pop(question_id, None)
        else:
            container[question_id] = value
        self._commit()

    def set_text(self, question_id: str, text: str) -> None:
        """Record typed text for a text, number or date question."""
        question = self.form.nodes[question_id].question
        if question.type == "date":
            self.set_value(question_id, parse_date_text(text) if text.strip() else None)
        elif question.type in ("integer", "decimal"):
            self.set_value(question_id, parse_number(text, question.type == "integer"))
        else:
            self.set_value(question_id, text)

    def choose(self, question_id: str, choice: str) -> None:
        """Pick a choice: select one replaces (picking it again clears); select multiple toggles,
        and an exclusive choice (such as "none") clears the others and is cleared by them."""
        question = self.form.nodes[question_id].question
        current = self._raw_container().get(question_id)
        if isinstance(question, SelectOneQuestion):
            self.set_value(question_id, None if current == choice else choice)
            return
        picked = list(current) if isinstance(current, list) else []
        exclusive = {c.value for c in self.form.nodes[question_id].choices if c.exclusive}
        if choice in picked:
            picked.remove(choice)
        elif choice in exclusive:
            picked = [choice]
        else:
            picked = [value for value in picked if value not in exclusive] + [choice]
        self.set_value(question_id, picked)

    def pick(self, question_id: str, choice: str) -> None:
        """Pick a choice of a select one from a list; picking the chosen one keeps it (a list
        picker has no second tap to clear)."""
        if self._raw_container().get(question_id) != choice:
            self.set_value(question_id, choice)

    def set_yes_no(self, question_id: str, answer: bool) -> None:
        """Answer yes or no; tapping the chosen answer again clears it."""
        current = self._raw_container().get(question_id)
        self.set_value(question_id, None if current is answer else answer)

    # Rosters.
    def add_row(self, roster_id: str) -> None:
        """Append an empty row to the roster and open it."""
        rows = self._raw_container().setdefault(roster_id, [])
        rows.append({})
        self.stack.append((roster_id, len(rows) - 1))
        self._commit()

    def open_row(self, roster_id: str, row: int) -> None:
        """Open an existing row to edit it."""
        self.stack.append((roster_id, row))
        self._commit()

    def remove_row(self, roster_id: str, row: int) -> None:
        """Delete a row (the roster's list must be showing)."""
        rows = self._raw_container().get(roster_id)
        if isinstance(rows, list) and 0 <= row < len(rows):
            del rows[row]
            if not rows:
                self._raw_container().pop(roster_id)
        self._commit()

    def close_row(self) -> None:
        """Go back from a row to its roster's list."""
        if self.stack:
            self.stack.pop()
        self._commit()

    def _repair_stack(self) -> None:
        container: Any = self.answers
        kept: list[tuple[str, int]] = []
        for roster, row in self.stack:
            rows = container.get(roster) if isinstance(container, dict) else None
            if not isinstance(rows, list) or row >= len(rows):
                break
            kept.append((roster, row))
            container = rows[row]
        self.stack = kept

    # Pages.
    def go(self, step: int) -> None:
        """Move ``step`` pages (±1); leaving a page reveals its missing required answers."""
        self.revealed.add(self.page)
        self.stack.clear()
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._commit()

    def go_to_path(self, path: str) -> None:
        """Open the page (and row) where the issue at ``path`` is shown."""
        first = re.split(r"[.\[]", path, maxsplit=1)[0]
        for index, page in enumerate(self.pages):
            inside = page.questions if isinstance(page, GroupQuestion) else [page]
            if first in {q.id for q in _flatten(inside)}:
                self.page = index
                break
        self.stack = [(name, int(row)) for name, row in re.findall(r"(\w+)\[(\d+)\]", path)]
        self._repair_stack()
        self._commit()

    def finish(self) -> list[Issue]:
        """Mark the survey ready to sync when it has no errors; return the errors otherwise
        (and reveal every page's missing answers)."""
        self.revealed = set(range(len(self.pages)))
        self._commit()
        if self.filled.errors:
            self.notice = tr("finish_blocked", self.lang, n=len(self.filled.errors))
            self.changed()
            return list(self.filled.errors)
        self.survey.envelope = self.filled.to_json()
        self.survey.envelope["meta"]["completed_at"] = self.now().isoformat()
        self.survey.state = "ready"
        self.sink.save_survey(self.survey)
        self.notice = tr("finished", self.lang)
        self.changed()
        return []

    # Finding one's way: the index of sections and questions, the errors left.
    def question_index(self) -> tuple[SectionIndex, ...]:
        """Return each section (page) with its questions: answered, required, errors."""
        env = AnswerEnv(self.form, self.filled.answers, ())
        errors = [issue.path for issue in self.filled.errors]
        sections = []
        for number, page in enumerate(self.pages):
            inside = page.questions if isinstance(page, GroupQuestion) else [page]
            entries = []
            for question in _askable(inside):
                if not self._relevant(question, env):
                    continue
                value = self.filled.answers.get(question.id)
                entries.append(
                    IndexEntry(
                        question.id,
                        self._text(question.label),
                        value not in (None, "", []),
                        not isinstance(question, RosterQuestion) and self._required(question, env),
                        sum(
                            1
                            for path in errors
                            if path == question.id or path.startswith(f"{question.id}[")
                        ),
                    )
                )
            sections.append(
                SectionIndex(
                    number,
                    self._text(page.label),
                    sum(e.answered for e in entries),
                    sum(e.required for e in entries),
                    sum(e.errors for e in entries),
                    tuple(entries),
                )
            )
        return tuple(sections)

    def error_lines(self) -> tuple[ErrorLine, ...]:
        """Return the errors that keep the survey from being finished, in form order, each
        named by its section and question in the form's words."""
        lines = []
        for issue in sorted(self.filled.errors, key=lambda i: self._order(i.path)):
            message = self._issue_text(issue)
            if not issue.path:
                lines.append(ErrorLine("", message))
                continue
            section = self._section_of(issue.path)
            label = missing_label(self.form, issue.path, self.lang)
            lines.append(ErrorLine(issue.path, f"{section} · {label}: {message}"))
        return tuple(lines)

    def _section_of(self, path: str) -> str:
        first = re.split(r"[.\[]", path, maxsplit=1)[0]
        for page in self.pages:
            inside = page.questions if isinstance(page, GroupQuestion) else [page]
            if first in {q.id for q in _flatten(inside)}:
                return self._text(page.label)
        return ""

    # Devices.
    def take_photo(self, question_id: str) -> None:
        """Ask the camera for a photo; it is reduced, hashed, sealed and recorded."""
        path = f"{self._prefix()}{question_id}"
        stack = list(self.stack)
        question = self.form.nodes[question_id].question
        assert isinstance(question, PhotoQuestion)

        def done(photo: Photo | None, why: str | None) -> None:
            if photo is None:
                if why != "cancelled":
                    self.notice = tr("photo_failed", self.lang, why=why)
                self.changed()
                return
            name = self.sink.save_photo(self.survey.survey_id, path, photo.jpeg, photo.sha256)
            self._at(stack, question_id, {"file": name, "sha256": photo.sha256})

        self.camera.take(self.dispatch(done))

    def locate(self, question_id: str) -> None:
        """Ask the locator for a fix; the answer records its accuracy."""
        path = f"{self._prefix()}{question_id}"
        stack = list(self.stack)
        self.busy.add(path)
        self.changed()

        def done(fix: Fix | None, why: str | None) -> None:
            self.busy.discard(path)
            if fix is None:
                # A desktop has no receiver: its reason is for developers, the position is typed.
                reason = tr("gps_type_it", self.lang) if self.locator.manual else why
                self.notice = tr("gps_failed", self.lang, why=reason)
                self.changed()
                return
            self._at(stack, question_id, fix.to_answer())

        self.locator.locate(self.dispatch(done))

    def set_location(self, question_id: str, latitude: str, longitude: str, accuracy: str) -> None:
        """Record a position typed by hand (desktop, or when GPS fails)."""
        numbers = [parse_number(text, integer=False) for text in (latitude, longitude, accuracy)]
        lat, lon, acc = (n if isinstance(n, float) else None for n in numbers)
        if lat is None or lon is None or acc is None:
            self.notice = tr("bad_number", self.lang)
            self.changed()
            return
        self.set_value(question_id, Fix(lat, lon, acc).to_answer())

    def _at(self, stack: list[tuple[str, int]], question_id: str, value: object) -> None:
        here = self.stack
        self.stack = stack
        self._repair_stack()
        if self.stack == stack:
            self.set_value(question_id, value)
        self.stack = here
        self._repair_stack()
        self._commit()


def _askable(questions: Sequence[Question]) -> list[Question]:
    """Return the questions of a page that are answered (groups opened, rosters as one)."""
    found: list[Question] = []
    for question in questions:
        if isinstance(question, GroupQuestion):
            found.extend(_askable(question.questions))
        elif not isinstance(question, NoteQuestion | CalculateQuestion):
            found.append(question)
    return found


def _flatten(questions: Sequence[Question]) -> list[Question]:
    found: list[Question] = []
    for question in questions:
        found.append(question)
        if isinstance(question, GroupQuestion | RosterQuestion):
            found.extend(_flatten(question.questions))
    return found
