"""What a form definition is, as data: questions, choice lists, rules and the document mapping.

A form file (``forms/<id>/v<version>.yaml``) is validated into these models, then compiled by
``shared.forms.form`` (expressions parsed and type-checked). One model per question type; the
``type`` field chooses it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
ChoiceValue = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]
Severity = Literal["error", "warning"]


class _Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Definition):
    """A text shown to people: Vietnamese first, English second."""

    vi: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


class Choice(_Definition):
    value: ChoiceValue
    label: Label
    exclusive: bool = Field(
        default=False, description="Cannot be combined with other choices (e.g. 'none')."
    )


class Constraint(_Definition):
    """A condition the answer must meet; checked only when the question is answered."""

    id: Identifier
    check: str
    message: Label
    severity: Severity = "error"


class _Item(_Definition):
    id: Identifier
    label: Label
    hint: Label | None = None
    relevant: str | None = None


class _Answerable(_Item):
    required: bool | str = False
    constraints: list[Constraint] = []


class TextQuestion(_Answerable):
    type: Literal["text"]
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 500
    multiline: bool = False
    read_only: bool = Field(
        default=False,
        description="Written by the tablet before the user starts (a member's number in the "
        "registry), shown but never typed.",
    )


class IntegerQuestion(_Answerable):
    type: Literal["integer"]
    unit: Label | None = None


class DecimalQuestion(_Answerable):
    type: Literal["decimal"]
    unit: Label | None = None


class DateQuestion(_Answerable):
    type: Literal["date"]


class YesNoQuestion(_Answerable):
    type: Literal["yes_no"]


class SelectOneQuestion(_Answerable):
    type: Literal["select_one"]
    choices: Identifier


class SelectMultipleQuestion(_Answerable):
    type: Literal["select_multiple"]
    choices: Identifier


class GpsQuestion(_Answerable):
    type: Literal["gps"]
    max_accuracy_m: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="A fix less accurate than this is reported as a warning."
    )


class PhotoQuestion(_Answerable):
    type: Literal["photo"]
    purpose: Identifier = Field(description="What the photo shows: house, latrine, water, …")


class NoteQuestion(_Item):
    type: Literal["note"]


class CalculateQuestion(_Definition):
    id: Identifier
    type: Literal["calculate"]
    expression: str
    label: Label | None = None
    relevant: str | None = None


class GroupQuestion(_Item):
    """Questions shown together (a screen or a section); their answers are not nested."""

    type: Literal["group"]
    questions: list[Question]


class RosterQuestion(_Item):
    """A repeated group: one row per member, income source, support item…"""

    type: Literal["roster"]
    questions: list[Question]
    count: Identifier | None = Field(
        default=None, description="An integer question that must equal the number of rows."
    )
    min_rows: Annotated[int, Field(ge=0)] = 0
    max_rows: Annotated[int, Field(ge=1, le=1000)] = 100
    row_label: Label | None = None


AnswerableQuestion = (
    TextQuestion
    | IntegerQuestion
    | DecimalQuestion
    | DateQuestion
    | YesNoQuestion
    | SelectOneQuestion
    | SelectMultipleQuestion
    | GpsQuestion
    | PhotoQuestion
)
Question = Annotated[
    AnswerableQuestion | NoteQuestion | CalculateQuestion | GroupQuestion | RosterQuestion,
    Field(discriminator="type"),
]


class Rule(_Definition):
    """A condition across questions, checked on the whole form; ``path`` names the question
    the issue is reported on."""

    id: Identifier
    check: str
    path: Identifier
    message: Label
    severity: Severity = "error"


class DocumentMapping(_Definition):
    """How the answers become an interchange document.

    ``fields`` mirrors the document: a string is an expression; a mapping is a nested object;
    ``{each: roster, fields: {...}}`` is a list with one object per roster row. Fields whose
    expression is null are left out (not recorded).
    """

    format: Literal["rasoat.household/1"]
    fields: dict[str, Any]


class FormDefinition(_Definition):
    id: Identifier
    version: Annotated[int, Field(ge=1)]
    title: Label
    description: Label | None = None
    shared_choices: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*/[1-9][0-9]*$")]] = []
    choice_lists: dict[Identifier, list[Choice]] = {}
    questions: Annotated[list[Question], Field(min_length=1)]
    rules: list[Rule] = []
    document: DocumentMapping | None = None


class ChoiceListsFile(_Definition):
    """A versioned file of choice lists several forms share (``forms/choices/<id>.v<n>.yaml``)."""

    id: Identifier
    version: Annotated[int, Field(ge=1)]
    choice_lists: dict[Identifier, list[Choice]]


GroupQuestion.model_rebuild()
RosterQuestion.model_rebuild()
FormDefinition.model_rebuild()
