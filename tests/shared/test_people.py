"""The official lists a person's record is checked against, the citizen identity number's
structure, and the registry facts the household format carries for the official forms."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest

from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError
from shared.household import Member
from shared.people import (
    citizen_id_problem,
    citizen_id_provinces,
    ethnic_groups,
    majority_ethnicity,
)

HOUSEHOLD: dict[str, Any] = {
    "format": "rasoat.household/1",
    "household_id": "DB-BM-0042",
    "reference_date": "2026-10-15",
    "area": "rural",
    "income": {"monthly_per_capita_vnd": 1_200_000},
    "members": [
        {
            "member_id": "1",
            "birth_date": "1985-03-02",
            "sex": "female",
            "relation": "head",
            "ethnicity": "08",
            "citizen_id": "011185004217",
            "citizen_id_issued_on": "2021-06-10",
            "citizen_id_issued_by": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
            "permanent_residence": "Bản Một, xã Mường Phăng, tỉnh Điện Biên",
            "current_residence": "Bản Một, xã Mường Phăng, tỉnh Điện Biên",
            "activity": "working",
            "no_labour_capacity": False,
            "monthly_social_allowance_vnd": 0,
            "revolutionary_merit": False,
        },
        {
            "member_id": "2",
            "birth_year": 2007,
            "sex": "male",
            "relation": "child",
            "ethnicity": "08",
            "citizen_id": "011207000318",
            "activity": "in_school",
            "monthly_social_allowance_vnd": 500_000,
        },
    ],
    "special_groups": ["ethnic_minority", "female_headed"],
    "poverty_causes": ["lack_land", "other"],
    "poverty_cause_other": "Mất mùa do lũ quét năm 2025",
}


def _with_member(index: int, **changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(HOUSEHOLD)
    document["members"][index].update(changes)
    return document


def _refused(document: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(RasoatError) as raised:
        parse_household(document)
    assert raised.value.code is ErrorCode.INVALID_HOUSEHOLD
    return raised.value.detail


def test_the_54_ethnic_groups_are_coded_01_to_54_with_kinh_the_majority() -> None:
    groups = ethnic_groups()
    assert list(groups) == [f"{n:02d}" for n in range(1, 55)]
    assert all(groups.values())
    assert groups[majority_ethnicity()] == "Kinh"


def test_the_format_accepts_exactly_the_listed_ethnicity_codes() -> None:
    accepted = set()
    for n in range(100):
        try:
            msgspec.convert({"member_id": "1", "ethnicity": f"{n:02d}"}, Member)
        except msgspec.ValidationError:
            continue
        accepted.add(f"{n:02d}")
    assert accepted == set(ethnic_groups())


def test_citizen_ids_open_with_one_of_the_63_former_provinces() -> None:
    provinces = citizen_id_provinces()
    assert len(provinces) == 63
    assert all(len(code) == 3 and code.isdigit() for code in provinces)
    named = [provinces[code] for code in ("001", "079", "096")]
    assert named == ["Hà Nội", "Hồ Chí Minh", "Cà Mau"]


@pytest.mark.parametrize(
    ("number", "sex", "birth_year", "problem"),
    [
        ("038079001234", "male", 1979, None),
        ("001305012345", "female", 2005, None),
        ("038079001234", None, None, None),
        ("099079001234", "male", 1979, "099 is not a province code of a citizen identity number"),
        ("038179001234", "male", 1979, "digit 4 (1) gives the other sex"),
        ("038080001234", "male", 1979, "digits 4–6 (080) do not give the birth year 1979"),
        ("038279001234", "male", 1979, "digits 4–6 (279) do not give the birth year 1979"),
        ("03807900123", "male", 1979, "a citizen identity number is 12 digits"),
        ("03807900123४", "male", 1979, "a citizen identity number is 12 digits"),
    ],
)
def test_citizen_id_structure(
    number: str, sex: Any, birth_year: int | None, problem: str | None
) -> None:
    assert citizen_id_problem(number, sex, birth_year) == problem


def test_registry_facts_are_kept_and_change_no_indicator() -> None:
    household = parse_household(HOUSEHOLD)
    head = household.members[0]
    assert (head.ethnicity, head.citizen_id, head.activity) == ("08", "011185004217", "working")
    assert household.special_groups == ["ethnic_minority", "female_headed"]
    assert household.poverty_causes == ["lack_land", "other"]
    bare = copy.deepcopy(HOUSEHOLD)
    for key in ("special_groups", "poverty_causes", "poverty_cause_other"):
        del bare[key]
    bare["members"] = [
        {k: v for k, v in m.items() if k in ("member_id", "birth_date", "birth_year", "sex")}
        for m in bare["members"]
    ]
    with_facts = classify(household).to_dict("en")
    without = classify(parse_household(bare)).to_dict("en")
    assert with_facts["indicators"]["dependents"] == without["indicators"]["dependents"]
    assert with_facts["class"] == without["class"]


def test_a_citizen_id_that_contradicts_the_members_sex_is_refused() -> None:
    detail = _refused(_with_member(0, citizen_id="011085004217"))
    assert detail["field"] == "members[0].citizen_id"
    assert detail["problem"] == "digit 4 (0) gives the other sex"


def test_a_citizen_id_checks_the_birth_year_alone_too() -> None:
    detail = _refused(_with_member(1, citizen_id="011206000318"))
    assert detail["field"] == "members[1].citizen_id"


def test_two_members_with_one_citizen_id_are_refused() -> None:
    detail = _refused(_with_member(1, citizen_id="011185004217", sex="female", birth_year=1985))
    assert (detail["field"], detail["problem"]) == (
        "members[1].citizen_id",
        "another member has the same number",
    )


def test_a_citizen_id_issued_after_the_reference_date_is_refused() -> None:
    detail = _refused(_with_member(0, citizen_id_issued_on="2026-10-16"))
    assert detail["field"] == "members[0].citizen_id_issued_on"


def test_an_issue_date_without_a_number_is_refused() -> None:
    detail = _refused(_with_member(1, citizen_id=None, citizen_id_issued_on="2022-01-05"))
    assert detail["field"] == "members[1].citizen_id_issued_on"


def test_unknown_special_groups_and_causes_are_refused() -> None:
    document = copy.deepcopy(HOUSEHOLD)
    document["special_groups"] = ["none"]
    assert _refused(document)["field"] == "special_groups[0]"
