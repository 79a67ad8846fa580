"""The case page: the household, its members, the survey's answers by section, each
indicator with its reason, income against the line, last year's class beside this year's,
photos, the GPS point on the hamlet's map, the history; and the officer's actions on it
(accept, return with comments on questions, override with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from server.auth.policy import Permission
from server.auth.service import actor_of
from server.console.i18n import N_, Lang, number
from server.console.rendering import ConsoleRoute, gettext, page, redirect, translate
from server.console.session import Actor, Looker
from server.db import DbSession
from server.households import service as households
from server.ids import PathId
from server.photos.storage import store_of
from server.review import service as review
from server.review.schemas import ScoreOut
from server.sync import service as sync
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.reasons import LABELS as VALUE_LABELS
from shared.review.procedures import ProcedureKind, procedure
from shared.review.states import Action, CaseState, allowed_actions
from shared.standards import load_catalog

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# Names of the household document's fields (a survey sent as a ready document has no form to
# take labels from).
FIELD_NAMES = {
    "income": N_("Income"),
    "monthly_per_capita_vnd": N_("Monthly income per person (VND)"),
    "housing": N_("Housing"),
    "walls": N_("Walls"),
    "frame": N_("Frame"),
    "roof": N_("Roof"),
    "floor_area_m2": N_("Floor area (m²)"),
    "water_source": N_("Water source"),
    "latrine": N_("Latrine"),
    "internet_access": N_("Internet at home"),
    "information_devices": N_("Information devices"),
    "hears_loudspeaker": N_("Hears the loudspeaker"),
    "waste_disposal": N_("Waste disposal"),
    "members": N_("Members"),
}
RELATION_NAMES = {
    "head": N_("Head"),
    "spouse": N_("Spouse"),
    "child": N_("Child"),
    "grandchild": N_("Grandchild"),
    "parent": N_("Parent"),
    "sibling": N_("Sibling"),
    "other": N_("Other"),
}
SKIPPED = {"format", "household_id", "reference_date", "area", "members"}
AREA_NAMES = {"rural": N_("Rural"), "urban": N_("Urban")}
MEMBER_FIELDS = ("relation", "birth_date", "sex", "education", "employment", "health_insurance")


@dataclass(frozen=True)
class Section:
    """A section of the survey's answers: its title, the question path a comment on the whole
    section names (a part of a ready household document), and (question path or None, label,
    value) rows."""

    title: str
    rows: list[tuple[str | None, str, str]]
    path: str | None = None


def _value(value: Any, lang: Lang, yes_no: tuple[str, str]) -> str:
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, list):
        return ", ".join(_value(v, lang, yes_no) for v in value)
    if isinstance(value, str):
        return VALUE_LABELS[lang].get(value, value)
    if isinstance(value, int | float):
        return number(value, lang, 0 if isinstance(value, int) else 2)
    return "—" if value is None else str(value)


def _document_sections(
    answers: dict[str, Any], lang: Lang, tr: Any, yes_no: tuple[str, str]
) -> list[Section]:
    general: list[tuple[str | None, str, str]] = []
    sections = []
    for key, value in answers.items():
        if key in SKIPPED:
            continue
        label = tr(FIELD_NAMES[key]) if key in FIELD_NAMES else key
        if isinstance(value, dict):
            rows: list[tuple[str | None, str, str]] = [
                (None, tr(FIELD_NAMES[k]) if k in FIELD_NAMES else k, _value(v, lang, yes_no))
                for k, v in value.items()
            ]
            sections.append(Section(label, rows, key))
        else:
            general.append((key, label, _value(value, lang, yes_no)))
    return [*sections, Section(tr("Living conditions"), general)] if general else sections


def _form_sections(
    form_id: str, version: str, answers: dict[str, Any], lang: Lang, yes_no: tuple[str, str]
) -> list[Section] | None:
    try:
        form = shipped().get(form_id, int(version))
    except (RasoatError, ValueError):
        return None
    sections = []
    for item in form.questions:
        label = item.label.model_dump().get(lang) if item.label is not None else item.id
        children = getattr(item, "questions", None)
        if children is None:
            if item.id in answers:
                sections.append(
                    Section(
                        str(label), [(item.id, str(label), _value(answers[item.id], lang, yes_no))]
                    )
                )
            continue
        rows = []
        for child in children:
            if child.id in answers:
                child_label = (
                    child.label.model_dump().get(lang)
                    if getattr(child, "label", None)
                    else child.id
                )
                rows.append((child.id, str(child_label), _value(answers[child.id], lang, yes_no)))
        if rows:
            sections.append(Section(str(label), rows))
    return sections


def _question_label(sections: list[Section], path: str) -> str:
    """Return the label of a question path as the answers show it (the path if unknown)."""
    for section in sections:
        if section.path == path:
            return section.title
        for known, label, _ in section.rows:
            if known == path:
                return f"{section.title} › {label}"
    return path


@router.get("/cases/{case_id}")
def case_page(case_id: PathId, request: Request, session: DbSession, viewer: Looker) -> Response:
    """One case with everything a reviewer weighs, and the actions the officer may take."""
    principal = viewer.principal
    lang = viewer.lang
    tr = gettext(request)
    yes_no = (tr("Yes"), tr("No"))
    view, transitions, surveys = review.case_view(session, principal, case_id)
    detail = households.detail(session, principal, view.case.household_id)
    survey = view.survey
    sections: list[Section] = []
    if survey is not None:
        sections = _form_sections(
            survey.form_id, survey.form_version, survey.answers, lang, yes_no
        ) or _document_sections(survey.household_document or survey.answers, lang, tr, yes_no)
    result: dict[str, Any] = {}
    titles: dict[str, str] = {}
    if view.classification is not None:
        result = households.result_in(view.classification, lang)
        standard = load_catalog().get(view.classification.standard_id)
        titles = {i.id: i.title[lang] for i in standard.indicators}
    meeting = procedure(ProcedureKind(view.round.procedure)).meeting
    actions = {a.value for a in allowed_actions(CaseState(view.case.state), meeting)}
    if Action.START_REVIEW.value in actions:
        # Accepting or returning takes a surveyed case into review first (the service does).
        actions |= {a.value for a in allowed_actions(CaseState.UNDER_REVIEW, meeting)}
    members = [
        {
            "name": m.full_name,
            "birth_date": m.birth_date,
            "relation": m.relation,
            "national_id": m.national_id
            if detail.show_ids
            else households.mask_national_id(m.national_id),
        }
        for m in detail.household.members
    ]
    questions = sorted(
        {s.path for s in sections if s.path}
        | {path for s in sections for path, _, _ in s.rows if path}
    )
    return page(
        request,
        viewer,
        "case.html",
        {
            "view": view,
            "round": view.round,
            "nav_rounds": [view.round],
            "household": detail.household,
            "members": members,
            "sections": sections,
            "result": result,
            "score": None if view.score is None else ScoreOut.from_detail(view.score, lang),
            "area_name": tr(AREA_NAMES[view.hamlet.area]) if view.hamlet.area in AREA_NAMES else "",
            "titles": titles,
            "transitions": transitions,
            "surveys": surveys,
            "actions": actions,
            "can_manage": principal.can(Permission.MANAGE_REVIEW),
            "questions": questions,
            "classes": ["poor", "near_poor", "average", "not_poor"],
            "boundary": view.hamlet.boundary,
            "relation_label": lambda code: (
                tr(RELATION_NAMES[code]) if code in RELATION_NAMES else "—"
            ),
            "question_label": partial(_question_label, sections),
        },
    )


@router.post("/cases/{case_id}/accept")
def accept(case_id: PathId, request: Request, session: DbSession, viewer: Actor) -> Response:
    """Accept the case's class (the service takes a surveyed case into review first)."""
    principal = viewer.principal
    review.accept(session, principal, actor_of(principal), case_id)
    return redirect(request, viewer, f"/cases/{case_id}", translate(request, "Case accepted"))


@router.post("/cases/{case_id}/return")
def return_case(
    case_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    question: Annotated[list[str], Form()],
    text: Annotated[list[str], Form()],
) -> Response:
    """Return the case to the tablet with a comment on each chosen question."""
    comments = [
        review.CommentIn(q.strip(), t.strip())
        for q, t in zip(question, text, strict=False)
        if q.strip() and t.strip()
    ]
    if not comments:
        raise RasoatError(ErrorCode.INVALID_REQUEST, problem="write a comment on a question")
    principal = viewer.principal
    review.return_case(session, principal, actor_of(principal), case_id, comments)
    return redirect(
        request, viewer, f"/cases/{case_id}", translate(request, "Case returned to the tablet")
    )


@router.post("/cases/{case_id}/override")
def override(
    case_id: PathId,
    request: Request,
    session: DbSession,
    viewer: Actor,
    household_class: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Set another class than the engine's, with the reason (flagged on every paper)."""
    principal = viewer.principal
    review.override(session, principal, actor_of(principal), case_id, household_class, reason)
    return redirect(request, viewer, f"/cases/{case_id}", translate(request, "Class overridden"))


@router.get("/photos/{sha256}/thumbnail")
def thumbnail(sha256: str, request: Request, session: DbSession, viewer: Looker) -> Response:
    """A photo's thumbnail, for a household the viewer may read (the sync service decides)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"photo {sha256[:64]}")
    thumbnail = sync.thumbnail(session, store_of(request.app.state), viewer.principal, sha256)
    return Response(thumbnail, media_type="image/jpeg")
