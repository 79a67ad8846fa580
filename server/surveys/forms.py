"""The survey forms as the server uses them: the same catalog, validation and mapping to a
``rasoat.household/1`` document as the tablet (``shared.forms``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import shipped
from shared.forms.validate import check_answers
from shared.household_paths import member_facts

# A household document sent as is, for clients that build it themselves (the engine's own
# format needs no form); the engine's parser is its validation.
DOCUMENT_FORM = "rasoat.household/1"


# Forms up to household_review v2 collect the review's special groups and causes of poverty as
# answers their document does not map; the registry keeps them all the same (the questions'
# ids, with the multiple choice's exclusive "none" meaning an empty list).
_ANSWERED_FACTS = {
    "special_groups": "special_groups",
    "poverty_causes": "poverty_causes",
    "poverty_cause_other": "poverty_causes_other",
}


@dataclass(frozen=True)
class Checked:
    """Answers that passed their form: the clean envelope to store and the document."""

    answers: dict[str, Any]
    document: dict[str, Any]
    warnings: list[dict[str, Any]]


def check(form_id: str, version: int, answers: dict[str, Any], meta: dict[str, Any]) -> Checked:
    """Return the checked answers and their household document; raise UNKNOWN_FORM,
    VALIDATION_FAILED (with every issue) or INVALID_FORM for a form that maps to no
    household."""
    if form_id == DOCUMENT_FORM:
        if version != 1:
            raise RasoatError(ErrorCode.UNKNOWN_FORM, form_id=form_id, version=version)
        return Checked(answers=answers, document=answers, warnings=[])
    form = shipped().get(form_id, version)
    filled = check_answers(
        form, {"form": form_id, "version": version, "answers": answers, "meta": meta}
    )
    if filled.errors:
        raise RasoatError(
            ErrorCode.VALIDATION_FAILED,
            count=len(filled.errors),
            issues=[issue.to_dict() for issue in filled.errors],
        )
    document = filled.document()
    if document is None:
        raise RasoatError(
            ErrorCode.INVALID_FORM,
            source=f"{form_id}/v{version}",
            problem="the form does not describe a household",
        )
    warnings = [issue.to_dict() for issue in filled.issues if issue.severity != "error"]
    return Checked(answers=filled.to_json(), document=document, warnings=warnings)


def survey_facts(checked: Checked) -> dict[str, Any]:
    """Return the special groups, causes of poverty and the other cause the survey recorded
    (None for each it did not): from the household document when its form maps them, else
    from the form's answers; and under ``members`` the facts of Decision 24's forms it
    recorded of each member, by member number (household_review 3 maps a member's number in
    the registry to ``member_id``; earlier versions record no such facts)."""
    answers = checked.answers.get("answers", {}) if "form" in checked.answers else {}
    found: dict[str, Any] = {}
    for field, question in _ANSWERED_FACTS.items():
        value = checked.document.get(field, answers.get(question))
        if isinstance(value, list):
            value = [choice for choice in value if choice != "none"]
        found[field] = value if value != "" else None
    found["members"] = {
        str(member["member_id"]): facts
        for member in checked.document.get("members", [])
        if (facts := member_facts(member))
    }
    return found
