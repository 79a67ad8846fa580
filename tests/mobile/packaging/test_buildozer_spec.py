"""mobile/buildozer.spec as buildozer and python-for-android read it: keys in [app], main.py
where python-for-android looks, the FileProvider inside <application>, AndroidX, and the
tablet's whole run-time closure in ``requirements`` pinned to the recipes' versions.

The checker is shown failing on the spec as it was before issue #13 (old_buildozer.spec, the
text of ``git show db6bc38:mobile/buildozer.spec``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.mobile.packaging.spec_check import (
    REPO,
    SPEC,
    Problem,
    problems,
    recipe_versions,
    run_time_closure,
    third_party_imports,
)

OLD_SPEC = Path(__file__).with_name("old_buildozer.spec")


def _layout(tmp_path: Path, spec_text: str, main_py: bool = True) -> Path:
    """Return a spec at ``tmp_path/mobile/buildozer.spec`` beside a copy of mobile/android/,
    with ``source.dir`` (``..``) holding a main.py or not."""
    (tmp_path / "mobile").mkdir()
    shutil.copytree(REPO / "mobile" / "android", tmp_path / "mobile" / "android")
    if main_py:
        (tmp_path / "main.py").write_text("from mobile.android.start import main\n")
    spec = tmp_path / "mobile" / "buildozer.spec"
    spec.write_text(spec_text, "utf-8")
    return spec


def _codes(found: list[Problem]) -> dict[str, list[str]]:
    by_code: dict[str, list[str]] = {}
    for problem in found:
        by_code.setdefault(problem.code, []).append(problem.message)
    return by_code


def test_the_spec_is_accepted_as_written() -> None:
    assert problems(SPEC) == []


@pytest.fixture(scope="module")
def old_problems(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    spec = _layout(tmp_path_factory.mktemp("old"), OLD_SPEC.read_text("utf-8"), main_py=False)
    return _codes(problems(spec))


def test_the_old_spec_had_its_android_keys_where_buildozer_does_not_read_them(
    old_problems: dict[str, list[str]],
) -> None:
    outside = " ".join(old_problems["key_outside_app"])
    for key in ("android.permissions", "android.api", "android.minapi", "android.archs"):
        assert f"[buildozer] {key}:" in outside
    assert len(old_problems["missing_permission"]) == 4


def test_the_old_spec_had_no_entry_point_python_for_android_finds(
    old_problems: dict[str, list[str]],
) -> None:
    assert old_problems["unknown_key"] == ["[app] entrypoint: buildozer does not read this key"]
    assert len(old_problems["no_main_py"]) == 1


def test_the_old_spec_put_the_provider_among_attributes_without_androidx(
    old_problems: dict[str, list[str]],
) -> None:
    for code in ("provider_as_attributes", "no_provider", "no_androidx", "no_androidx_core"):
        assert code in old_problems


def test_the_old_spec_missed_the_run_time_dependencies(
    old_problems: dict[str, list[str]],
) -> None:
    missing = {message.split()[0] for message in old_problems["missing_requirement"]}
    named_in_the_issue = {
        "pydantic-core",
        "annotated-types",
        "typing-extensions",
        "typing-inspection",
        "httpcore",
        "h11",
        "anyio",
        "idna",
        "certifi",
        "cffi",
        "pycparser",
    }
    assert named_in_the_issue <= missing
    unpinned = {message.split()[0] for message in old_problems["unpinned"]}
    assert {"pydantic", "httpx", "cryptography", "pyyaml"} <= unpinned


def test_a_pin_off_the_recipe_and_its_dependents_is_found(tmp_path: Path) -> None:
    text = SPEC.read_text("utf-8").replace("pydantic-core==2.41.4", "pydantic-core==2.50.5")
    found = _codes(problems(_layout(tmp_path, text)))
    assert found["pin_not_recipe"] == [
        "pydantic-core==2.50.5 but python-for-android's recipe builds 2.41.4"
    ]
    assert found["pins_conflict"] == [
        "pydantic==2.12.3 requires pydantic-core==2.41.4, requirements pin 2.50.5"
    ]


def test_a_dependency_dropped_from_the_requirements_is_found(tmp_path: Path) -> None:
    text = SPEC.read_text("utf-8").replace("    h11==0.16.0,\n", "")
    found = _codes(problems(_layout(tmp_path, text)))
    assert found == {"missing_requirement": ["h11 is imported at run time, not in requirements"]}


def test_the_closure_follows_the_imports_of_the_tablet() -> None:
    imported = third_party_imports()
    assert {"kivy", "jnius", "android", "PIL", "yaml", "pydantic", "httpx"} <= imported
    assert "plyer" not in imported  # the camera and GPS go through pyjnius now
    closure = run_time_closure(imported)
    assert {"pyjnius", "pydantic-core", "httpcore", "cffi"} <= closure
    assert "docutils" not in closure  # Kivy's rST viewer is not used


def test_the_recipes_are_read_from_python_for_android() -> None:
    recipes = recipe_versions()
    assert recipes["pydantic-core"] == "2.41.4"
    assert recipes["android"] is None
