"""The shipped forms: they load, they are released, and a released file never changes."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from forms import FORMS_DIR
from shared import household
from shared.errors import ErrorCode, RasoatError
from shared.forms.catalog import Catalog, file_hash, released_hashes, shipped

SHIPPED = [
    "application",
    "exit_registration",
    "household_review",
    "quick_screen",
    "score_b1",
    "support_visit",
]


def test_the_shipped_forms_load_at_their_latest_version() -> None:
    # household_review 3 carries the members' facts of the official forms (2 confirmed the roster).
    assert [(form.id, form.version) for form in shipped().latest()] == [
        (form_id, 3 if form_id == "household_review" else 1) for form_id in SHIPPED
    ]


def test_only_the_household_review_maps_to_a_household_document() -> None:
    mapped = {form.id for form in shipped().forms() if form.document is not None}
    assert mapped == {"household_review"}


@pytest.mark.parametrize("relative", sorted(released_hashes()))
def test_a_released_file_is_unchanged(relative: str) -> None:
    path = FORMS_DIR / relative
    assert path.exists(), f"released {relative} was deleted"
    assert file_hash(path) == released_hashes()[relative], (
        f"{relative} is released and must not change; put the change in a new version"
    )


def test_every_shipped_file_is_released() -> None:
    on_disk = {str(path.relative_to(FORMS_DIR)) for path in FORMS_DIR.rglob("*.yaml")}
    assert on_disk == set(released_hashes())


def test_the_hash_ignores_windows_line_endings(tmp_path: Path) -> None:
    unix, windows = tmp_path / "unix.yaml", tmp_path / "windows.yaml"
    unix.write_bytes(b"id: x\nversion: 1\n")
    windows.write_bytes(b"id: x\r\nversion: 1\r\n")
    assert file_hash(unix) == file_hash(windows)


@pytest.mark.parametrize(
    ("choice_list", "vocabulary"),
    [
        ("area", household.Area),
        ("sex", household.Sex),
        ("relation", household.Relation),
        ("employment", household.Employment),
        ("disability", household.Disability),
        ("education", household.Education),
        ("school_level", household.SchoolLevel),
        ("walls", household.WallMaterial),
        ("frame", household.FrameMaterial),
        ("roof", household.RoofMaterial),
        ("water_source", household.WaterSource),
        ("latrine", household.Latrine),
        ("waste_disposal", household.WasteDisposal),
    ],
)
def test_household_choice_lists_are_the_format_vocabulary(
    choice_list: str, vocabulary: object
) -> None:
    lists = shipped().shared["household/1"].choice_lists
    assert [choice.value for choice in lists[choice_list]] == list(typing.get_args(vocabulary))


def test_information_devices_are_the_format_vocabulary_plus_an_exclusive_none() -> None:
    choices = shipped().shared["household/1"].choice_lists["information_devices"]
    assert [c.value for c in choices if not c.exclusive] == list(
        typing.get_args(household.InformationDevice)
    )
    assert [c.value for c in choices if c.exclusive] == ["none"]


def test_an_unknown_form_or_version_is_reported() -> None:
    with pytest.raises(RasoatError) as caught:
        shipped().get("household_review", 9)
    assert caught.value.code == ErrorCode.UNKNOWN_FORM
    with pytest.raises(RasoatError):
        shipped().get("phieu_b")


def _write(directory: Path, relative: str, text: str) -> None:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MINIMAL = """
id: local_check
version: 2
title: {vi: "Phiếu kiểm tra", en: "Check"}
questions:
  - {id: seen, type: yes_no, label: {vi: "Đã gặp", en: "Seen"}}
"""


def test_a_province_adds_its_own_form_directory(tmp_path: Path) -> None:
    _write(tmp_path, "local_check/v2.yaml", MINIMAL)
    catalog = Catalog([FORMS_DIR, tmp_path])
    assert catalog.get("local_check").key == "local_check/2"
    assert catalog.get("household_review").version == 3


def test_a_file_must_be_stored_under_its_id_and_version(tmp_path: Path) -> None:
    _write(tmp_path, "local_check/v1.yaml", MINIMAL)
    with pytest.raises(RasoatError) as caught:
        Catalog([tmp_path])
    assert caught.value.code == ErrorCode.INVALID_FORM


def test_a_version_cannot_be_defined_twice(tmp_path: Path) -> None:
    _write(
        tmp_path, "household_review/v1.yaml", (FORMS_DIR / "household_review/v1.yaml").read_text()
    )
    with pytest.raises(RasoatError) as caught:
        Catalog([FORMS_DIR, tmp_path])
    assert "defined twice" in caught.value.detail["problem"]


def test_a_yaml_syntax_error_is_an_invalid_form(tmp_path: Path) -> None:
    _write(tmp_path, "broken/v1.yaml", "id: broken\nquestions: [\n")
    with pytest.raises(RasoatError) as caught:
        Catalog([tmp_path])
    assert caught.value.code == ErrorCode.INVALID_FORM
