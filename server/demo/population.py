"""Random but realistic ``rasoat.household/1`` documents, optionally steered to a class.

Pure and fast (plain dicts, no validation): the demo commune and the benchmarks generate up to
a million households with it. Every indicator of the standard in force on the reference date is
recorded and set on purpose, so a steered household classifies to its target with
``complete: true``. Ages are kept clear of every legal boundary (retirement age, 16, 30, school
age) so the result does not hinge on a birthday.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Target = Literal["poor", "near_poor", "average", "not_poor"]
TARGETS: tuple[Target, ...] = ("poor", "near_poor", "average", "not_poor")


@dataclass(frozen=True)
class _Lines:
    """Income thresholds (VND / person / month) of a standard, by area."""

    line: dict[str, int]
    average_ceiling: dict[str, int] | None
    indicators: tuple[str, ...]


_COMMON = (
    "employment",
    "dependents",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water_source",
    "latrine",
)
# Mirrors shared/standards/*.yaml (Decree 07/2021 Art. 3; Decree 351/2025 Art. 3); the engine's
# data files stay the authority, this table only steers the generator.
_VN_2022 = _Lines(
    line={"rural": 1_500_000, "urban": 2_000_000},
    average_ceiling={"rural": 2_250_000, "urban": 3_000_000},
    indicators=(*_COMMON, "telecom", "information_access"),
)
_VN_2027 = _Lines(
    line={"rural": 2_200_000, "urban": 2_800_000},
    average_ceiling=None,
    indicators=(*_COMMON, "waste", "digital_services"),
)

_SAFE_WATER = ("piped", "drilled_well", "protected_dug_well", "rainwater", "bottled")
_SAFE_WATER_RURAL = ("drilled_well", "drilled_well", "protected_dug_well", "piped", "rainwater")
_UNSAFE_WATER = ("unprotected_well", "unprotected_spring", "surface_water", "tanker")
_HYGIENIC = ("septic_tank", "septic_tank", "semi_septic", "flush_to_sewer", "double_vault")
_UNHYGIENIC = ("simple_pit", "hanging", "bucket", "none")
_DURABLE = {
    "walls": ("brick", "brick", "concrete", "stone", "hardwood"),
    "frame": ("reinforced_concrete", "reinforced_concrete", "brick", "steel", "hardwood"),
    "roof": ("tile", "metal_sheet", "reinforced_concrete", "fibre_cement", "metal_sheet"),
}
_FLIMSY = {
    "walls": ("bamboo", "mud", "leaves", "tarpaulin", "salvaged"),
    "frame": ("bamboo", "other"),
    "roof": ("thatch", "leaves", "tarpaulin", "salvaged"),
}
_DEVICES = ("tv", "radio", "smartphone", "laptop", "tablet", "desktop")
_FINE_EMPLOYMENT = ("wage_with_contract", "self_employed", "self_employed")
_BAD_EMPLOYMENT = ("unemployed", "wage_without_contract")
_GOOD_YOUNG_EDUCATION = (
    "upper_secondary",
    "upper_secondary",
    "vocational",
    "college",
    "university",
)
_ADULT_EDUCATION = ("primary", "lower_secondary", "upper_secondary", "vocational", "university")
_UNTARGETED_DEPRIVATIONS = (0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3)


def standard_lines(reference_date: date) -> _Lines:
    """Return the thresholds and indicators the generator steers by on ``reference_date``."""
    return _VN_2027 if reference_date >= date(2027, 1, 1) else _VN_2022


def _born(rng: random.Random, reference_date: date, age: int) -> date:
    """Return a birth date giving ``age`` completed years on ``reference_date``, at least a
    month away from a birthday on either side."""
    year = reference_date.year - age
    anchor = reference_date.replace(year=year, day=min(reference_date.day, 28))
    return anchor - timedelta(days=rng.randint(30, 330))


def _child_born(rng: random.Random, reference_date: date, school_age: int) -> date:
    """Return a birth date giving ``school_age`` at the start of the current school year."""
    school_year = reference_date.year if reference_date.month >= 9 else reference_date.year - 1
    year = school_year - school_age
    first = date(year, 1, 1)
    last = min(date(year, 12, 31), reference_date - timedelta(days=1))
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _completed_years(born: str, reference_date: date) -> int:
    birth = date.fromisoformat(born)
    before_birthday = (reference_date.month, reference_date.day) < (birth.month, birth.day)
    return reference_date.year - birth.year - before_birthday


def _school_level(school_age: int) -> str | None:
    if school_age < 3:
        return None
    if school_age <= 5:
        return "preschool"
    if school_age <= 10:
        return "primary"
    return "lower_secondary"


def _income(rng: random.Random, lines: _Lines, area: str, target: Target | None) -> int:
    line = lines.line[area]
    ceiling = lines.average_ceiling[area] if lines.average_ceiling else line
    if target in ("poor", "near_poor"):
        low, high = line // 2, line
    elif target == "average":
        low, high = line + 1_000, ceiling
    elif target == "not_poor":
        low, high = ceiling + 1_000, ceiling * 4
    else:
        centre = 5_000_000 if area == "urban" else 3_800_000
        return max(300_000, int(rng.lognormvariate(0, 0.5) * centre) // 1_000 * 1_000)
    return rng.randint(low // 1_000, high // 1_000) * 1_000


def _deprivations(rng: random.Random, lines: _Lines, target: Target | None) -> set[str]:
    if target == "poor":
        count = rng.choice((3, 3, 3, 4, 4, 5, 6))
    elif target == "near_poor":
        count = rng.choice((0, 1, 1, 2, 2, 2))
    else:
        count = rng.choice(_UNTARGETED_DEPRIVATIONS)
    return set(rng.sample(lines.indicators, count))


def random_household(
    rng: random.Random,
    household_id: str,
    reference_date: date,
    area: str,
    target: str | None = None,
) -> dict[str, Any]:
    """Return a ``rasoat.household/1`` dict for a plausible Vietnamese household.

    With ``target`` (poor, near_poor, average or not_poor) the household classifies to that
    class under the standard in force on ``reference_date``; without it, income and
    deprivations follow a rough national distribution (mostly not poor). ``area`` is
    ``"rural"`` or ``"urban"``. Raises ValueError for a target the standard does not have.
    """
    if area not in ("rural", "urban"):
        raise ValueError(f"area must be rural or urban, not {area!r}")
    if target is not None and target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    lines = standard_lines(reference_date)
    if target == "average" and lines.average_ceiling is None:
        raise ValueError(f"no average band in the standard in force on {reference_date}")
    steer: Target | None = target
    deprived = _deprivations(rng, lines, steer)
    income = _income(rng, lines, area, steer)

    workers = 1 if rng.random() < 0.3 else 2
    young = 1 if rng.random() < 0.25 else 0
    children = rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
    elderly = rng.choice((0, 0, 0, 1, 1, 2))
    if workers == 1 and young == 0 and elderly and rng.random() < 0.3:
        workers = 0
    pension_rate = 0.6 if area == "urban" else 0.35
    pensions = [rng.random() < pension_rate for _ in range(elderly)]
    if deprived & {"nutrition", "child_schooling"}:
        children = max(children, 1)
    if "adult_education" in deprived:
        young = max(young, 1)
    if "employment" in deprived and workers + young == 0:
        workers = 1

    def dependents() -> int:
        return children + pensions.count(False)

    if "dependents" in deprived:
        while 2 * dependents() <= workers + young + children + elderly:
            if False in pensions or not pensions:
                children += 1
            else:
                pensions[pensions.index(True)] = False
    else:
        while 2 * dependents() > workers + young + children + elderly:
            if False in pensions:
                pensions[pensions.index(False)] = True
            else:
                workers += 1

    members: list[dict[str, Any]] = []
    working: list[dict[str, Any]] = []
    youths: list[dict[str, Any]] = []
    head_sex = "male" if rng.random() < 0.78 else "female"

    def person(
        age: int | None, sex: str, relation: str, school_age: int | None = None
    ) -> dict[str, Any]:
        born = (
            _child_born(rng, reference_date, school_age)
            if school_age is not None
            else _born(rng, reference_date, age or 0)
        )
        member = {
            "member_id": str(len(members) + 1),
            "birth_date": born.isoformat(),
            "sex": sex,
            "relation": relation,
            "employment": "not_in_labour_force",
            "pension": False,
            "disability": "none",
            "health_insurance": True,
            "education": "none",
            "in_school": False,
            "school_level": None,
            "stunted": None,
            "underweight": None,
            "phone_subscription": False,
            "uses_internet": False,
        }
        members.append(member)
        return member

    head_is_elder = workers == 0 and young == 0
    for index in range(workers):
        sex = head_sex if index == 0 else ("female" if head_sex == "male" else "male")
        relation = "head" if index == 0 else ("spouse" if index == 1 else "sibling")
        adult = person(rng.randint(31, 54), sex, relation)
        adult["employment"] = rng.choice(_FINE_EMPLOYMENT)
        adult["education"] = rng.choice(_ADULT_EDUCATION)
        adult["phone_subscription"] = True
        adult["uses_internet"] = rng.random() < 0.7
        adult["disability"] = "mild" if rng.random() < 0.03 else "none"
        working.append(adult)
    for index in range(young):
        relation = "head" if workers == 0 and index == 0 else "child"
        adult = person(rng.randint(19, 29), rng.choice(("male", "female")), relation)
        adult["employment"] = rng.choice(_FINE_EMPLOYMENT)
        adult["education"] = rng.choice(_GOOD_YOUNG_EDUCATION)
        adult["phone_subscription"] = True
        adult["uses_internet"] = True
        working.append(adult)
        youths.append(adult)
    for index, pension in enumerate(pensions):
        relation = "head" if head_is_elder and index == 0 else "parent"
        elder = person(rng.randint(66, 88), rng.choice(("male", "female")), relation)
        elder["pension"] = pension
        elder["education"] = rng.choice(("none", "primary", "primary", "lower_secondary"))
        elder["phone_subscription"] = rng.random() < 0.4
    kids: list[tuple[dict[str, Any], int]] = []
    for _ in range(children):
        school_age = rng.randint(0, 14)
        if "child_schooling" in deprived and not kids:
            school_age = rng.randint(6, 14)
        relation = "grandchild" if head_is_elder else "child"
        child = person(None, rng.choice(("male", "female")), relation, school_age=school_age)
        # The schooling indicator takes in children from 3 completed years on the reference
        # date, while the school year placed them: a child of school age 2 may be 3 already.
        level = _school_level(school_age) or (
            "preschool" if _completed_years(child["birth_date"], reference_date) >= 3 else None
        )
        child["in_school"] = level is not None
        child["school_level"] = level
        child["education"] = "primary" if school_age >= 11 else "none"
        child["stunted"] = False
        child["underweight"] = False
        kids.append((child, school_age))

    if "employment" in deprived:
        rng.choice(working)["employment"] = rng.choice(_BAD_EMPLOYMENT)
    if "nutrition" in deprived:
        kids[0][0]["stunted" if rng.random() < 0.6 else "underweight"] = True
    if "health_insurance" in deprived:
        adults = [m for m in members if m["stunted"] is None]
        rng.choice(adults)["health_insurance"] = False
    if "adult_education" in deprived:
        rng.choice(youths)["education"] = rng.choice(("primary", "lower_secondary"))
    if "child_schooling" in deprived:
        kids[0][0]["in_school"] = False
        kids[0][0]["school_level"] = None
    if "telecom" in deprived:
        for member in members:
            member["phone_subscription"] = False
    elif not any(m["phone_subscription"] for m in members):
        members[0]["phone_subscription"] = True
    if "digital_services" in deprived:
        for member in members:
            member["uses_internet"] = False
    elif not any(m["uses_internet"] for m in members):
        members[0]["uses_internet"] = True

    size = len(members)
    parts = ["walls", "frame", "roof"]
    flimsy = (
        set(rng.sample(parts, rng.choice((2, 3))))
        if "housing_quality" in deprived
        else (set(rng.sample(parts, 1)) if rng.random() < 0.15 else set())
    )
    housing: dict[str, Any] = {
        part: rng.choice(_FLIMSY[part] if part in flimsy else _DURABLE[part]) for part in parts
    }
    per_member = rng.uniform(3.0, 7.0) if "housing_area" in deprived else rng.uniform(8.5, 30.0)
    housing["floor_area_m2"] = round(per_member * size)

    if "water_source" in deprived:
        water = rng.choice(_UNSAFE_WATER)
    else:
        water = rng.choice(_SAFE_WATER if area == "urban" else _SAFE_WATER_RURAL)
    latrine = rng.choice(_UNHYGIENIC if "latrine" in deprived else _HYGIENIC)
    if "information_access" in deprived:
        devices: list[str] = []
        loudspeaker = False
    else:
        devices = sorted(set(rng.sample(_DEVICES, rng.randint(1, 3))) | {"tv"})
        loudspeaker = rng.random() < 0.8
    internet = "telecom" not in deprived and rng.random() < (0.85 if area == "urban" else 0.6)
    if "waste" in deprived:
        waste = rng.choice(("burned", "dumped", "other"))
    else:
        waste = "collected" if area == "urban" or rng.random() < 0.6 else "composted_or_buried"

    return {
        "format": "rasoat.household/1",
        "household_id": household_id,
        "reference_date": reference_date.isoformat(),
        "area": area,
        "income": {"monthly_per_capita_vnd": income},
        "members": members,
        "housing": housing,
        "water_source": water,
        "latrine": latrine,
        "internet_access": internet,
        "information_devices": devices,
        "hears_loudspeaker": loudspeaker,
        "waste_disposal": waste,
    }
