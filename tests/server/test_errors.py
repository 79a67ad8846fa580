"""The error catalog as published: every code has its row in docs/api.md with its status, and
a message in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from server.errors import STATUS
from shared.errors import MESSAGES, ErrorCode

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ROWS = dict(re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", API_DOC.read_text("utf-8"), re.M))


@pytest.mark.parametrize("code", list(ErrorCode), ids=str)
def test_every_code_is_documented_with_its_status(code: ErrorCode) -> None:
    assert ROWS.get(code.value) == str(STATUS[code]), f"docs/api.md lacks `{code.value}`"


@pytest.mark.parametrize("code", list(ErrorCode), ids=str)
def test_both_languages_fill_from_the_same_detail(code: ErrorCode) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(MESSAGES[code]["vi"]) == fields(MESSAGES[code]["en"])


def test_the_documentation_names_no_code_that_does_not_exist() -> None:
    assert set(ROWS) <= {code.value for code in ErrorCode}
