"""The worked example in forms/README.md is true."""

from __future__ import annotations

import json
import re

import yaml

from forms import FORMS_DIR
from shared.forms import shipped, validate
from shared.forms.form import compile_form
from shared.forms.model import FormDefinition
from tests.shared.forms.helpers import brief

README = (FORMS_DIR / "README.md").read_text(encoding="utf-8")
EXAMPLE = README[README.index("## Worked example") :]


def test_the_worked_example_gives_the_issues_it_shows() -> None:
    form_text = re.search(r"```yaml\n(.*?)```", EXAMPLE, re.S)
    answers_text = re.search(r"```json\n(.*?)```", EXAMPLE, re.S)
    assert form_text is not None
    assert answers_text is not None
    definition = FormDefinition.model_validate(yaml.safe_load(form_text.group(1)))
    form = compile_form(definition, shipped().shared, "README.md")
    issues = validate(form, json.loads(answers_text.group(1)))
    assert sorted(brief(issue) for issue in issues) == [
        "members roster_count_mismatch",
        "members[1].in_school required",
    ]
