"""Every screen of every role, in Vietnamese and in English at 1280×800 and in Vietnamese at
800×1280: a screenshot of each, and no field path, code, untranslated key or (in the Vietnamese
screens) English word in what people read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui

# Sign-in, the enumerator's 19 screens, the hamlet head's 4, the helping officer's 3 and the
# commune officer's 2, per language.
SCREENS = 1 + 19 + 4 + 3 + 2


@pytest.mark.parametrize(
    ("size", "langs"), [("1280x800", "vi,en"), ("800x1280", "vi")], ids=["landscape", "portrait"]
)
def test_every_screen_speaks_the_users_language(
    x_display: str, portrait_display: str, tmp_path: Path, shots: Path, size: str, langs: str
) -> None:
    display = x_display if size == "1280x800" else portrait_display
    code, result = drive(
        display,
        "walk",
        tmp_path / "data",
        shots / f"every-{size}",
        size,
        extra_env={"RASOAT_UI_LANGS": langs},
        timeout=300,
    )
    assert code == 0
    assert result["problems"] == []
    assert len(result["screens"]) == SCREENS * len(langs.split(","))  # type: ignore[arg-type]
