"""The review round's online screens: the commune officer's review queue (approve, or return a
case to the enumerator with comments on questions) and the hamlet head's meeting (attendance
and the vote on each accepted case).

These talk to the server as they go (``mobile.review_api``); a call runs off the UI thread and
comes back through the dispatch. Without signal they say so and keep what was typed, so the
user tries again from the same screen. The meeting's entries are also kept as a draft in the
user's store as they are typed, so a killed app opens the meeting of the same round and hamlet
as it was left, until the meeting is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from mobile.i18n import Lang, tr
from mobile.presenters import UiDispatch, immediately, off_ui_thread
from mobile.presenters.form import format_date, parse_date_text
from mobile.presenters.preview import class_text
from mobile.review_api import OnlineError
from shared.forms import Form
from shared.forms.model import GroupQuestion, NoteQuestion, Question, RosterQuestion
from shared.review.rules import vote_passes


class ReviewCalls(Protocol):
    """The calls the screens make (``mobile.review_api.ReviewApi``)."""

    def rounds(self) -> list[dict[str, Any]]: ...

    def queue(self, round_id: int) -> list[dict[str, Any]]: ...

    def cases(self, round_id: int, state: str) -> list[dict[str, Any]]: ...

    def accept(self, case_id: int) -> dict[str, Any]: ...

    def return_case(self, case_id: int, comments: list[dict[str, str]]) -> dict[str, Any]: ...

    def record_meeting(self, round_id: int, attendance: dict[str, Any]) -> dict[str, Any]: ...

    def vote(self, meeting_id: int, votes: list[dict[str, int]]) -> dict[str, Any]: ...


_REASONS = {
    "offline": "online_offline",
    "auth": "err_auth",
    "device_revoked": "err_device_revoked",
}


def error_text(error: Exception, lang: Lang) -> str:
    """Return why an online call failed, in people's words."""
    if isinstance(error, OnlineError):
        if error.reason == "refused":
            return tr("online_refused", lang, message=error.message or error.code)
        return tr(_REASONS.get(error.reason, "err_server"), lang)
    return tr("err_server", lang)


def round_title(found: Mapping[str, Any], lang: Lang) -> str:
    """Return a round's name for people: "Rà soát định kỳ 2025"."""
    procedure = str(found.get("procedure", "annual"))
    return tr(f"round_{procedure}", lang, year=found.get("year"), month=found.get("month") or "")


def _household(case: Mapping[str, Any]) -> str:
    return f"{case.get('household_code', '')} · {case.get('head_name', '')}"


class _Online:
    """What both screens share: the calls, the busy flag and the last message."""

    def __init__(
        self,
        api: Callable[[], ReviewCalls],
        lang: Lang,
        dispatch: UiDispatch,
        background: bool,
    ) -> None:
        self.api = api
        self.lang = lang
        self.dispatch = dispatch
        self.background = background
        self.changed: Callable[[], None] = lambda: None
        self.busy = False
        self.message = ""
        self.offline = False
        self.rounds: list[dict[str, Any]] = []
        self.round_id: int | None = None

    def _run(self, work: Callable[[ReviewCalls], Any], then: Callable[[Any], None]) -> bool:
        """Run ``work`` with the API off the UI thread, then ``then(result)``; a failure sets
        the message. Return False when a call is already going."""
        if self.busy:
            return False
        self.busy = True
        self.changed()

        def done(result: Any, error: Exception | None) -> None:
            self.busy = False
            self.offline = isinstance(error, OnlineError) and error.reason == "offline"
            if error is not None:
                self.message = error_text(error, self.lang)
            else:
                then(result)
            self.changed()

        off_ui_thread(lambda: work(self.api()), done, self.dispatch, self.background)
        return True

    def round_choices(self) -> tuple[tuple[int, str], ...]:
        return tuple((int(r["id"]), round_title(r, self.lang)) for r in self.rounds)

    def _pick_round(self, rounds: list[dict[str, Any]]) -> None:
        """Keep ``rounds``; stay on the chosen one while it is there, else take the newest."""
        self.rounds = rounds
        ids = [int(r["id"]) for r in self.rounds]
        if self.round_id not in ids:
            self.round_id = ids[0] if ids else None


# ------------------------------------------------------------------------------- review queue


@dataclass(frozen=True)
class CaseRow:
    case_id: int
    title: str
    detail: str
    flags: str
    selected: bool


@dataclass(frozen=True)
class CaseView:
    case_id: int
    title: str
    lines: tuple[str, ...]
    deprivations: tuple[str, ...]
    comments: tuple[str, ...]
    can_accept: bool
    can_return: bool


@dataclass(frozen=True)
class QueueView:
    rounds: tuple[tuple[int, str], ...]
    round_id: int | None
    cases: tuple[CaseRow, ...]
    case: CaseView | None
    summary: str
    message: str
    busy: bool
    offline: bool


def question_choices(form: Form, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Return the survey's questions a comment can point at, as (path, label): a roster's
    questions as ``members[].education`` (the member's number is asked beside)."""
    found: list[tuple[str, str]] = []

    def walk(questions: Sequence[Question], prefix: str, title: str) -> None:
        for question in questions:
            label = getattr(question.label, lang, "") if question.label is not None else ""
            if isinstance(question, GroupQuestion):
                walk(question.questions, prefix, title)
            elif isinstance(question, RosterQuestion):
                row = question.row_label or question.label
                walk(question.questions, f"{prefix}{question.id}[].", getattr(row, lang))
            elif not isinstance(question, NoteQuestion) and label:
                found.append((f"{prefix}{question.id}", f"{title}: {label}" if title else label))

    walk(form.questions, "", "")
    return tuple(found)


class ReviewQueuePresenter(_Online):
    """The commune officer's queue of a round: cases surveyed or under review, each with its
    classes, change from last year, deprivations and reasons, geofence and comments."""

    def __init__(
        self,
        api: Callable[[], ReviewCalls],
        survey_form: Form,
        lang: Lang = "vi",
        labels: Mapping[str, str] | None = None,
        dispatch: UiDispatch = immediately,
        background: bool = True,
    ) -> None:
        super().__init__(api, lang, dispatch, background)
        self.survey_form = survey_form
        self.labels = labels or {}
        self.cases: list[dict[str, Any]] = []
        self.case_id: int | None = None

    def load(self) -> bool:
        """Fetch the rounds (open ones) and the chosen round's queue."""

        def work(api: ReviewCalls) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            rounds = [r for r in api.rounds() if r.get("status") == "open"]
            ids = [int(r["id"]) for r in rounds]
            chosen = self.round_id if self.round_id in ids else (ids[0] if ids else None)
            return rounds, api.queue(chosen) if chosen is not None else []

        def then(found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
            self._pick_round(found[0])
            self._show(found[1])
            self.message = "" if self.rounds else tr("no_open_round", self.lang)

        return self._run(work, then)

    def choose_round(self, round_id: int) -> bool:
        self.round_id = round_id
        self.case_id = None
        return self.load()

    def _show(self, cases: list[dict[str, Any]]) -> None:
        self.cases = cases
        ids = [int(c["id"]) for c in cases]
        if self.case_id not in ids:
            self.case_id = ids[0] if ids else None

    def select(self, case_id: int) -> None:
        self.case_id = case_id
        self.changed()

    def accept(self) -> bool:
        """Approve the selected case's class; the queue is fetched again."""
        case_id = self.case_id
        if case_id is None:
            return False

        def work(api: ReviewCalls) -> list[dict[str, Any]]:
            api.accept(case_id)
            assert self.round_id is not None
            return api.queue(self.round_id)

        def then(cases: list[dict[str, Any]]) -> None:
            self._show(cases)
            self.message = tr("case_accepted", self.lang)

        return self._run(work, then)

    def return_case(self, question: str, member: str, text: str) -> bool:
        """Send the selected case back to the enumerator with a comment on ``question`` (a
        path from ``question_choices``; ``member`` numbers the roster row from 1)."""
        case_id = self.case_id
        if case_id is None:
            return False
        if not text.strip() or not question:
            self.message = tr("comment_needed", self.lang)
            self.changed()
            return False
        if "[]" in question:
            if not member.strip().isdigit() or int(member) < 1:
                self.message = tr("member_needed", self.lang)
                self.changed()
                return False
            question = question.replace("[]", f"[{int(member) - 1}]", 1)
        comments = [{"question": question, "text": text.strip()}]

        def work(api: ReviewCalls) -> list[dict[str, Any]]:
            api.return_case(case_id, comments)
            assert self.round_id is not None
            return api.queue(self.round_id)

        def then(cases: list[dict[str, Any]]) -> None:
            self._show(cases)
            self.message = tr("case_returned", self.lang)

        return self._run(work, then)

    def view(self) -> QueueView:
        """Return what the queue screen shows."""
        lang = self.lang
        rows = tuple(
            CaseRow(
                int(c["id"]),
                _household(c),
                " · ".join(
                    part
                    for part in (
                        str(c.get("hamlet_name", "")),
                        str(c.get("state_label", "")),
                        class_text(c.get("final_class") or c.get("engine_class"), lang),
                    )
                    if part
                ),
                self._flags(c),
                int(c["id"]) == self.case_id,
            )
            for c in self.cases
        )
        chosen = next((c for c in self.cases if int(c["id"]) == self.case_id), None)
        return QueueView(
            self.round_choices(),
            self.round_id,
            rows,
            None if chosen is None else self._case(chosen),
            tr("queue_count", lang, n=len(rows)),
            self.message,
            self.busy,
            self.offline,
        )

    def _flags(self, case: Mapping[str, Any]) -> str:
        flags = []
        if case.get("change_label"):
            flags.append(str(case["change_label"]))
        if case.get("overridden"):
            flags.append(tr("overridden", self.lang))
        if case.get("geofence_distance_m"):
            flags.append(self._outside(case))
        return " · ".join(flags)

    def _outside(self, case: Mapping[str, Any]) -> str:
        return tr("outside_hamlet", self.lang, m=round(float(case["geofence_distance_m"])))

    def _case(self, case: Mapping[str, Any]) -> CaseView:
        lang = self.lang
        lines = [
            f"{tr('engine_class', lang)}: {class_text(case.get('engine_class'), lang)}",
            f"{tr('final_class', lang)}: {class_text(case.get('final_class'), lang)}"
            + (" *" if case.get("overridden") else ""),
            f"{tr('previous_class', lang)}: {class_text(case.get('previous_class'), lang)}",
        ]
        if case.get("change_label"):
            lines.append(f"{tr('change', lang)}: {case['change_label']}")
        if case.get("geofence_distance_m"):
            lines.append(self._outside(case))
        lines.append(f"{tr('photos', lang)}: {len(case.get('photos') or [])}")
        allowed = set(case.get("allowed_actions") or [])
        reviewable = bool(allowed & {"accept", "start_review", "return"})
        return CaseView(
            int(case["id"]),
            _household(case),
            tuple(lines),
            tuple(
                f"{self.labels.get(d['indicator'], d['indicator'])}: {d.get('reason', '')}"
                for d in case.get("deprivations") or []
            ),
            tuple(
                f"{c.get('question')}: {c.get('text')}"
                for c in case.get("comments") or []
                if not c.get("addressed_by")
            ),
            reviewable,
            reviewable,
        )


# ------------------------------------------------------------------------------- meeting

MEETING_FIELDS = (
    "held_on",
    "chair_name",
    "secretary_name",
    "front_supervisor",
    "households_represented",
    "others_present",
)
_NUMBERS = ("households_represented", "others_present")
_REQUIRED = ("held_on", "chair_name", "front_supervisor", "households_represented")


class MeetingDrafts(Protocol):
    """Where the typed meeting waits until it is recorded (the user's store)."""

    def meeting_draft(self, round_id: int, hamlet_id: int) -> dict[str, Any] | None: ...

    def save_meeting_draft(
        self, round_id: int, hamlet_id: int, entries: dict[str, Any]
    ) -> None: ...

    def drop_meeting_draft(self, round_id: int, hamlet_id: int) -> None: ...


@dataclass(frozen=True)
class VoteRow:
    case_id: int
    title: str
    detail: str
    agree: str
    verdict: str


@dataclass(frozen=True)
class MeetingView:
    rounds: tuple[tuple[int, str], ...]
    round_id: int | None
    hamlets: tuple[tuple[int, str], ...]
    hamlet_id: int | None
    fields: dict[str, str]
    attendees: str
    rows: tuple[VoteRow, ...]
    message: str
    busy: bool
    offline: bool
    recorded: bool


class MeetingPresenter(_Online):
    """The hamlet meeting of a round: attendance, then the number agreeing for each accepted
    case of the hamlet (≥ 50 % of the attendees passes it; fewer sends it back to review).
    The server records the meeting and the votes; the minutes are printed at the commune."""

    def __init__(
        self,
        api: Callable[[], ReviewCalls],
        hamlets: Sequence[tuple[int, str]],
        chair_name: str,
        today: date,
        drafts: MeetingDrafts,
        lang: Lang = "vi",
        dispatch: UiDispatch = immediately,
        background: bool = True,
    ) -> None:
        super().__init__(api, lang, dispatch, background)
        self.hamlets = tuple(hamlets)
        self.hamlet_id: int | None = self.hamlets[0][0] if self.hamlets else None
        self.fields = dict.fromkeys(MEETING_FIELDS, "")
        self.fields["held_on"] = format_date(today.isoformat())
        self.fields["chair_name"] = chair_name
        self.cases: list[dict[str, Any]] = []
        self.agree: dict[int, str] = {}
        self.results: dict[int, dict[str, Any]] = {}
        self.drafts = drafts
        self._restored: tuple[int, int] | None = None

    def load(self) -> bool:
        """Fetch the open rounds that hold meetings and their accepted cases of the hamlets."""

        def work(api: ReviewCalls) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            rounds = [r for r in api.rounds() if r.get("status") == "open" and r.get("meeting")]
            ids = [int(r["id"]) for r in rounds]
            chosen = self.round_id if self.round_id in ids else (ids[0] if ids else None)
            return rounds, api.cases(chosen, "accepted") if chosen is not None else []

        def then(found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
            self._pick_round(found[0])
            self.cases = found[1]
            self.message = "" if self.rounds else tr("no_open_round", self.lang)
            self._restore()

        return self._run(work, then)

    def choose_round(self, round_id: int) -> bool:
        self.round_id = round_id
        return self.load()

    def choose_hamlet(self, hamlet_id: int) -> None:
        self.hamlet_id = hamlet_id
        self._restore()
        self.changed()

    def set_field(self, name: str, text: str) -> None:
        self.fields[name] = text
        self._keep()
        self.changed()

    def set_agree(self, case_id: int, text: str) -> None:
        self.agree[case_id] = text
        self._keep()
        self.changed()

    def _restore(self) -> None:
        """Take the draft kept for the round and hamlet now chosen, once per pair; without one,
        what is on the screen stays."""
        if self.round_id is None or self.hamlet_id is None:
            return
        chosen = (self.round_id, self.hamlet_id)
        if chosen == self._restored:
            return
        self._restored = chosen
        found = self.drafts.meeting_draft(*chosen)
        if found is not None:
            self.fields.update((k, v) for k, v in found["fields"].items() if k in self.fields)
            self.agree = {int(k): v for k, v in found["agree"].items()}

    def _keep(self) -> None:
        if self.results or self.round_id is None or self.hamlet_id is None:
            return  # recorded, or nothing to file the draft under yet
        ids = [int(c["id"]) for c in self._hamlet_cases()]
        agree = {str(i): self.agree[i] for i in ids if i in self.agree}
        self.drafts.save_meeting_draft(
            self.round_id, self.hamlet_id, {"fields": self.fields, "agree": agree}
        )

    def _hamlet_cases(self) -> list[dict[str, Any]]:
        return [c for c in self.cases if c.get("hamlet_id") == self.hamlet_id]

    def _attendees(self) -> int | None:
        counts = [_count(self.fields[name]) for name in _NUMBERS]
        if counts[0] is None:
            return None
        return counts[0] + (counts[1] or 0)

    def view(self) -> MeetingView:
        """Return what the meeting screen shows; each vote's verdict is worked out as it is
        typed, with the rule the server applies."""
        attendees = self._attendees()
        rows = []
        for case in self._hamlet_cases():
            case_id = int(case["id"])
            verdict = ""
            result = self.results.get(case_id)
            agree = _count(self.agree.get(case_id, ""))
            if result is not None:
                verdict = tr("vote_passed" if result.get("passed") else "vote_failed", self.lang)
            elif agree is not None and attendees:
                if agree > attendees:
                    verdict = tr("vote_too_many", self.lang)
                else:
                    passes = vote_passes(agree, attendees)
                    verdict = tr("vote_passes" if passes else "vote_fails", self.lang)
            rows.append(
                VoteRow(
                    case_id,
                    _household(case),
                    class_text(case.get("final_class"), self.lang),
                    self.agree.get(case_id, ""),
                    verdict,
                )
            )
        return MeetingView(
            self.round_choices(),
            self.round_id,
            self.hamlets,
            self.hamlet_id,
            dict(self.fields),
            tr("attendees", self.lang, n=attendees if attendees is not None else "—"),
            tuple(rows),
            self.message,
            self.busy,
            self.offline,
            bool(self.results),
        )

    def _problem(self) -> str:
        if self.round_id is None or self.hamlet_id is None:
            return tr("no_open_round", self.lang)
        if any(not self.fields[name].strip() for name in _REQUIRED):
            return tr("meeting_incomplete", self.lang)
        try:
            date.fromisoformat(parse_date_text(self.fields["held_on"]))
        except ValueError:
            return tr("bad_date", self.lang)
        attendees = self._attendees()
        others = _count(self.fields["others_present"] or "0")
        if attendees is None or attendees < 1 or others is None:
            return tr("bad_number", self.lang)
        cases = self._hamlet_cases()
        if not cases:
            return tr("nothing_to_vote", self.lang)
        for case in cases:
            agree = _count(self.agree.get(int(case["id"]), ""))
            if agree is None or agree > attendees:
                return tr("vote_missing", self.lang, household=_household(case))
        return ""

    def submit(self) -> bool:
        """Record the meeting and its votes on the server; return whether the call started."""
        if self.results:
            return False  # recorded already: a second meeting would be a second vote
        problem = self._problem()
        if problem:
            self.message = problem
            self.changed()
            return False
        assert self.round_id is not None
        assert self.hamlet_id is not None
        round_id, hamlet_id = self.round_id, self.hamlet_id
        attendance = {
            "hamlet_id": hamlet_id,
            "held_on": parse_date_text(self.fields["held_on"]),
            "chair_name": self.fields["chair_name"].strip(),
            "secretary_name": self.fields["secretary_name"].strip(),
            "front_supervisor": self.fields["front_supervisor"].strip(),
            "households_represented": _count(self.fields["households_represented"]),
            "others_present": _count(self.fields["others_present"] or "0"),
        }
        votes = [
            {"case_id": int(c["id"]), "agree": _count(self.agree[int(c["id"])]) or 0}
            for c in self._hamlet_cases()
        ]

        def work(api: ReviewCalls) -> dict[str, Any]:
            meeting = api.record_meeting(round_id, attendance)
            return api.vote(int(meeting["id"]), votes)

        def then(meeting: dict[str, Any]) -> None:
            self.results = {int(v["case_id"]): v for v in meeting.get("votes") or []}
            self.drafts.drop_meeting_draft(round_id, hamlet_id)
            passed = sum(1 for v in self.results.values() if v.get("passed"))
            self.message = tr("meeting_recorded", self.lang, passed=passed, n=len(self.results))

        return self._run(work, then)


def _count(text: str) -> int | None:
    cleaned = text.strip()
    return int(cleaned) if cleaned.isdigit() else None
