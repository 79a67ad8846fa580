"""Check a filled form against its definition: the one validation the tablet and server share.

``validate(form, answers)`` is total: whatever JSON-like value it is given, it returns a list of
issues and never raises. Text is normalised to Unicode NFC first, so a name typed with
combining diacritics (NFD) equals the same name typed precomposed.

Filled answers are an envelope::

    {"form": "household_review", "version": 1, "answers": {...}, "meta": {...}}

``answers`` maps question ids to values; a roster is a list of row objects. Groups do not nest
answers. Calculated values are computed here, whatever the envelope says.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.errors import IssueCode, Lang, render_issue
from shared.forms.conditions import Value, evaluate, parse_date, truth
from shared.forms.form import AnswerEnv, Form
from shared.forms.mapping import build_document
from shared.forms.model import (
    AnswerableQuestion,
    CalculateQuestion,
    DateQuestion,
    DecimalQuestion,
    GpsQuestion,
    GroupQuestion,
    IntegerQuestion,
    NoteQuestion,
    PhotoQuestion,
    Question,
    RosterQuestion,
    SelectMultipleQuestion,
    SelectOneQuestion,
    Severity,
    TextQuestion,
    YesNoQuestion,
)

# Beyond this a number is a typing slip, and float arithmetic on it would lose whole dong.
NUMBER_LIMIT = 10**15
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ENVELOPE_KEYS = {"form", "version", "answers", "meta"}


@dataclass(frozen=True)
class Issue:
    """One problem with the answers: where (``path``), what (``code``), and how bad.

    ``rule`` names the form's constraint or rule for ``constraint`` and ``rule`` issues.
    """

    path: str
    code: IssueCode
    severity: Severity = "error"
    rule: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: Lang = "vi") -> str:
        """Return the message shown to the person filling the form."""
        return render_issue(self.code, {k: _shown(v, lang) for k, v in self.detail.items()}, lang)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able issue with its messages in both languages."""
        return {
            "path": self.path,
            "code": str(self.code),
            "severity": self.severity,
            "rule": self.rule,
            "message": {"vi": self.message("vi"), "en": self.message("en")},
        }


def _shown(value: object, lang: Lang) -> object:
    if isinstance(value, Mapping) and lang in value:
        return value[lang]
    return value


@dataclass(frozen=True)
class Filled:
    """Answers after checking: clean values (NFC text, dates, calculations) and the issues."""

    form: Form
    answers: Mapping[str, object]
    issues: tuple[Issue, ...]
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """Return the issues that must be fixed before the form is accepted."""
        return tuple(issue for issue in self.issues if issue.severity == "error")

    def document(self) -> dict[str, Any] | None:
        """Return the interchange document the answers map to, None for forms without one."""
        if self.form.document is None:
            return None
        return build_document(self.form.document, AnswerEnv(self.form, self.answers))

    def to_json(self) -> dict[str, Any]:
        """Return the clean envelope, JSON-able, as the server stores it."""
        return {
            "form": self.form.id,
            "version": self.form.version,
            "answers": _jsonable(self.answers),
            "meta": _jsonable(self.meta),
        }


def _jsonable(value: object) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def validate(form: Form, answers: object) -> list[Issue]:
    """Return every issue with ``answers`` (any JSON-like value); never raises."""
    return list(check_answers(form, answers).issues)


def check_answers(form: Form, answers: object) -> Filled:
    """Return the clean answers and their issues; never raises."""
    checker = _Checker(form)
    raw = checker.envelope(answers)
    if raw is None:
        return Filled(form, {}, tuple(checker.issues))
    top = checker.coerce_level(form.questions, raw, "", ())
    checker.settle(form.questions, top, top, (), "")
    for pending in checker.pending:
        checker.check_answer(*pending)
    env = AnswerEnv(form, top)
    for rule, expr in form.rules:
        if truth(evaluate(expr, env)) is False:
            checker.add(
                rule.path,
                IssueCode.RULE,
                severity=rule.severity,
                rule=rule.id,
                message=rule.message.model_dump(),
            )
    meta = _clean_meta(answers.get("meta")) if isinstance(answers, Mapping) else None
    return Filled(form, top, tuple(checker.issues), meta or {})


def _clean_meta(meta: object) -> dict[str, object] | None:
    """Return ``meta`` (device, timestamps…) with NFC text, None unless it is a flat object."""
    if not isinstance(meta, Mapping):
        return None
    clean: dict[str, object] = {}
    for key, value in meta.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | float)):
            return None
        clean[_nfc(key)] = _nfc(value) if isinstance(value, str) else value
    return clean


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == ()


def _leaves(questions: Sequence[Question]) -> list[Question]:
    """Return the questions answered at this level: groups are flattened, rosters are not."""
    found: list[Question] = []
    for question in questions:
        if isinstance(question, GroupQuestion):
            found.extend(_leaves(question.questions))
        else:
            found.append(question)
    return found


Stack = tuple[tuple[str, Mapping[str, object], int], ...]


@dataclass
class _Checker:
    form: Form
    issues: list[Issue] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    pending: list[tuple[AnswerableQuestion, Mapping[str, object], AnswerEnv, str]] = field(
        default_factory=list
    )

    def add(
        self,
        path: str,
        code: IssueCode,
        *,
        severity: Severity = "error",
        rule: str | None = None,
        **detail: object,
    ) -> None:
        self.issues.append(Issue(path, code, severity, rule, detail))

    def envelope(self, answers: object) -> Mapping[Any, object] | None:
        """Return the answers inside the envelope; None when there are none to check."""
        if not isinstance(answers, Mapping):
            self.add("", IssueCode.MALFORMED, problem="not an object")
            return None
        for key in answers:
            if key not in _ENVELOPE_KEYS:
                self.add("", IssueCode.MALFORMED, problem=f"unexpected key {str(key)[:40]!r}")
        form_id, version = answers.get("form"), answers.get("version")
        if (
            not (isinstance(form_id, str) and _nfc(form_id) == self.form.id)
            or version != (self.form.version)
            or isinstance(version, bool)
        ):
            got = f"{str(form_id)[:64]}/{str(version)[:16]}"
            self.add("", IssueCode.WRONG_FORM, got=got, expected=self.form.key)
        meta = answers.get("meta")
        if meta is not None and _clean_meta(meta) is None:
            self.add("meta", IssueCode.MALFORMED, problem="meta must map names to plain values")
        raw = answers.get("answers")
        if not isinstance(raw, Mapping):
            self.add("answers", IssueCode.MALFORMED, problem="answers must be an object")
            return None
        return raw

    # Pass 1: types. Invalid answers are reported and treated as unanswered.
    def coerce_level(
        self,
        questions: Sequence[Question],
        raw: Mapping[Any, object],
        prefix: str,
        rosters: tuple[str, ...],
    ) -> dict[str, object]:
        leaves = {question.id: question for question in _leaves(questions)}
        clean: dict[str, object] = {}
        for key in raw:
            question = leaves.get(key) if isinstance(key, str) else None
            if question is None:
                name = str(key)[:64]
                self.add(f"{prefix}{name}", IssueCode.UNKNOWN_QUESTION, question=name)
        for question in leaves.values():
            value = raw.get(question.id)
            path = f"{prefix}{question.id}"
            if (
                isinstance(question, NoteQuestion | CalculateQuestion | GroupQuestion)
                or value is None
            ):
                continue
            if isinstance(question, RosterQuestion):
                clean[question.id] = self.coerce_rows(question, value, path, rosters)
            else:
                reported = len(self.issues)
                coerced = self.coerce(question, value, path)
                if len(self.issues) > reported:
                    self.unreadable.add(path)
                if coerced is not None:
                    clean[question.id] = coerced
        return clean

    def coerce_rows(
        self, roster: RosterQuestion, value: object, path: str, rosters: tuple[str, ...]
    ) -> list[dict[str, object]]:
        if not isinstance(value, list):
            self.add(path, IssueCode.WRONG_TYPE, expected=_EXPECTED["roster"])
            return []
        if len(value) > roster.max_rows:
            self.add(path, IssueCode.TOO_MANY_ROWS, limit=roster.max_rows)
            value = value[: roster.max_rows]
        rows: list[dict[str, object]] = []
        for index, row in enumerate(value):
            row_path = f"{path}[{index}]"
            if not isinstance(row, Mapping):
                self.add(row_path, IssueCode.WRONG_TYPE, expected=_EXPECTED["row"])
                row = {}
            rows.append(
                self.coerce_level(roster.questions, row, f"{row_path}.", (*rosters, roster.id))
            )
        return rows

    def coerce(self, question: AnswerableQuestion, value: object, path: str) -> object:
        expected = _EXPECTED[question.type]
        if isinstance(question, TextQuestion):
            if not isinstance(value, str):
                self.wrong(path, expected)
                return None
            text = _nfc(value)
            if len(text) > question.max_length:
                self.add(path, IssueCode.TOO_LONG, limit=question.max_length)
                return None
            return text or None
        if isinstance(question, IntegerQuestion | DecimalQuestion):
            return self.number(question, value, path)
        if isinstance(question, DateQuestion):
            if not isinstance(value, str):
                self.wrong(path, expected)
                return None
            day = parse_date(value.strip())
            if day is None:
                self.add(path, IssueCode.INVALID_DATE, value=value[:40])
            return day
        if isinstance(question, YesNoQuestion):
            if isinstance(value, bool):
                return value
            self.wrong(path, expected)
            return None
        if isinstance(question, SelectOneQuestion):
            if not isinstance(value, str):
                self.wrong(path, expected)
                return None
            return self.choice(question.id, _nfc(value), path)
        if isinstance(question, SelectMultipleQuestion):
            return self.choices(question, value, path)
        if isinstance(question, GpsQuestion):
            return self.gps(question, value, path)
        return self.photo(question, value, path)

    def wrong(self, path: str, expected: Mapping[str, str]) -> None:
        self.add(path, IssueCode.WRONG_TYPE, expected=expected)

    def number(
        self, question: IntegerQuestion | DecimalQuestion, value: object, path: str
    ) -> int | float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong(path, _EXPECTED[question.type])
            return None
        if isinstance(value, float):
            if not math.isfinite(value):
                self.wrong(path, _EXPECTED[question.type])
                return None
            if isinstance(question, IntegerQuestion):
                if not value.is_integer():
                    self.wrong(path, _EXPECTED["integer"])
                    return None
                value = int(value)
        if abs(value) > NUMBER_LIMIT:
            self.add(path, IssueCode.OUT_OF_RANGE, value="…", low=-NUMBER_LIMIT, high=NUMBER_LIMIT)
            return None
        return value

    def choice(self, question_id: str, value: str, path: str) -> str | None:
        allowed = {choice.value for choice in self.form.nodes[question_id].choices}
        if value not in allowed:
            self.add(path, IssueCode.NOT_A_CHOICE, value=value[:64])
            return None
        return value

    def choices(
        self, question: SelectMultipleQuestion, value: object, path: str
    ) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.wrong(path, _EXPECTED["select_multiple"])
            return None
        picked: set[str] = set()
        for item in value:
            chosen = self.choice(question.id, _nfc(item), path)
            if chosen is None:
                return None
            if chosen in picked:
                self.add(path, IssueCode.DUPLICATE_CHOICE, value=chosen)
                return None
            picked.add(chosen)
        listed = self.form.nodes[question.id].choices
        for choice in listed:
            if choice.exclusive and choice.value in picked and len(picked) > 1:
                self.add(path, IssueCode.EXCLUSIVE_CHOICE, value=choice.value)
                return None
        return tuple(choice.value for choice in listed if choice.value in picked)

    def gps(self, question: GpsQuestion, value: object, path: str) -> dict[str, float] | None:
        keys = {"latitude", "longitude", "accuracy_m", "altitude_m"}
        if not (
            isinstance(value, Mapping)
            and set(value) <= keys
            and {"latitude", "longitude", "accuracy_m"} <= set(value)
            and all(
                isinstance(item, int | float) and not isinstance(item, bool) and math.isfinite(item)
                for item in value.values()
            )
        ):
            self.wrong(path, _EXPECTED["gps"])
            return None
        point = {str(key): float(item) for key, item in value.items()}
        for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            if not low <= point[key] <= high:
                self.add(
                    f"{path}.{key}", IssueCode.OUT_OF_RANGE, value=point[key], low=low, high=high
                )
                return None
        if point["accuracy_m"] < 0:
            self.add(
                f"{path}.accuracy_m",
                IssueCode.OUT_OF_RANGE,
                value=point["accuracy_m"],
                low=0,
                high="∞",
            )
            return None
        limit = question.max_accuracy_m
        if limit is not None and point["accuracy_m"] > limit:
            self.add(
                path,
                IssueCode.GPS_INACCURATE,
                severity="warning",
                accuracy_m=point["accuracy_m"],
                limit=limit,
            )
        return point

    def photo(self, question: PhotoQuestion, value: object, path: str) -> dict[str, str] | None:
        if not (
            isinstance(value, Mapping)
            # Cleaned answers carry the purpose tag; they must validate again unchanged (the
            # tablet cleans, the server validates the same answers), so a matching tag is fine.
            and set(value) <= {"file", "sha256", "purpose"}
            and value.get("purpose", question.purpose) == question.purpose
            and isinstance(value.get("file"), str)
            and 0 < len(str(value["file"]).strip()) <= 255
            and (value.get("sha256") is None or _SHA256.fullmatch(str(value["sha256"])))
        ):
            self.wrong(path, _EXPECTED["photo"])
            return None
        photo = {"file": _nfc(str(value["file"])), "purpose": question.purpose}
        if value.get("sha256") is not None:
            photo["sha256"] = str(value["sha256"])
        return photo

    # Pass 2: relevance and calculations, in form order.
    def settle(
        self,
        questions: Sequence[Question],
        container: dict[str, object],
        top: Mapping[str, object],
        stack: Stack,
        prefix: str,
    ) -> None:
        for question in questions:
            node = self.form.nodes[question.id]
            env = AnswerEnv(self.form, top, stack)
            if node.relevant is not None and truth(evaluate(node.relevant, env)) is not True:
                _clear(question, container)
                continue
            path = f"{prefix}{question.id}"
            if isinstance(question, GroupQuestion):
                self.settle(question.questions, container, top, stack, prefix)
            elif isinstance(question, RosterQuestion):
                rows = container.get(question.id)
                rows = rows if isinstance(rows, list) else []
                self.check_rows(question, rows, env, path)
                for index, row in enumerate(rows):
                    inner = (*stack, (question.id, row, index))
                    self.settle(question.questions, row, top, inner, f"{path}[{index}].")
            elif isinstance(question, CalculateQuestion):
                assert node.expression is not None
                container[question.id] = evaluate(node.expression, env)
            elif not isinstance(question, NoteQuestion):
                self.pending.append((question, container, env, path))

    def check_rows(
        self, roster: RosterQuestion, rows: list[object], env: AnswerEnv, path: str
    ) -> None:
        if len(rows) < roster.min_rows:
            self.add(path, IssueCode.TOO_FEW_ROWS, limit=roster.min_rows)
        if roster.count is not None:
            count = env.value(roster.count)
            if isinstance(count, int) and not isinstance(count, bool) and count != len(rows):
                self.add(path, IssueCode.ROSTER_COUNT_MISMATCH, listed=len(rows), count=count)

    # Pass 3: required and constraints, once every value is settled.
    def check_answer(
        self,
        question: AnswerableQuestion,
        container: Mapping[str, object],
        env: AnswerEnv,
        path: str,
    ) -> None:
        node = self.form.nodes[question.id]
        value = container.get(question.id)
        if _is_empty(value):
            required = node.required
            if not isinstance(required, bool):
                required = truth(evaluate(required, env)) is True
            if required and path not in self.unreadable:
                self.add(path, IssueCode.REQUIRED)
            return
        here = env.at(_as_value(value))
        for constraint, expr in node.constraints:
            if truth(evaluate(expr, here)) is False:
                self.add(
                    path,
                    IssueCode.CONSTRAINT,
                    severity=constraint.severity,
                    rule=constraint.id,
                    message=constraint.message.model_dump(),
                )


def _as_value(value: object) -> Value:
    return value  # type: ignore[return-value]


def _clear(question: Question, container: dict[str, object]) -> None:
    container.pop(question.id, None)
    if isinstance(question, GroupQuestion):
        for child in question.questions:
            _clear(child, container)


def _label(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


_EXPECTED: dict[str, dict[str, str]] = {
    "text": _label("văn bản", "text"),
    "integer": _label("số nguyên", "a whole number"),
    "decimal": _label("số", "a number"),
    "date": _label("ngày dạng NNNN-TT-NN", "a date YYYY-MM-DD"),
    "yes_no": _label("có/không (true/false)", "yes/no (true/false)"),
    "select_one": _label("một mã lựa chọn", "one choice value"),
    "select_multiple": _label("danh sách mã lựa chọn", "a list of choice values"),
    "gps": _label(
        "điểm GPS {latitude, longitude, accuracy_m}",
        "a GPS point {latitude, longitude, accuracy_m}",
    ),
    "photo": _label("ảnh {file, sha256}", "a photo {file, sha256}"),
    "roster": _label("danh sách các dòng", "a list of rows"),
    "row": _label("một dòng (đối tượng)", "a row (an object)"),
}
