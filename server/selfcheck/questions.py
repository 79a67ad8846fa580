"""The self-check's questions in plain words, and the household document its answers make.

Every answer maps to one fact of ``rasoat.household/1`` (docs/standard.md); the page asks only
the facts the standard in use reads, so nobody is asked about a radio the 2027 standard no
longer counts. A question left blank is "not recorded": the engine then says which indicator
it could not judge, exactly as for a survey with a gap. Labels are English catalog messages
(N_), shown in Vietnamese by ``locale/vi``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from server.console.i18n import N_
from shared.household import (
    Disability,
    Education,
    Employment,
    FrameMaterial,
    InformationDevice,
    Latrine,
    Relation,
    RoofMaterial,
    SchoolLevel,
    Sex,
    WallMaterial,
    WasteDisposal,
    WaterSource,
)
from shared.standard import Standard

# Enough for a large household on a phone; the engine itself takes up to 100.
MAX_MEMBERS = 20
YES_NO = {"yes": N_("Yes"), "no": N_("No")}

LABELS: dict[str, dict[str, str]] = {
    "area": {"rural": N_("A commune (countryside)"), "urban": N_("A ward or town (city)")},
    "sex": {"male": N_("Man"), "female": N_("Woman")},
    "relation": {
        "head": N_("Head of the household"),
        "spouse": N_("Wife or husband of the head"),
        "child": N_("Child"),
        "parent": N_("Father or mother"),
        "grandchild": N_("Grandchild"),
        "sibling": N_("Brother or sister"),
        "other": N_("Other"),
    },
    "employment": {
        "wage_with_contract": N_("Works for a wage, with a labour contract"),
        "wage_without_contract": N_("Works for a wage, without a labour contract"),
        "self_employed": N_("Works for themselves (farming, trading, a trade)"),
        "unemployed": N_("Has no work and wants work"),
        "not_in_labour_force": N_("Does not work (studies, too old or ill, keeps house)"),
    },
    "disability": {
        "none": N_("No disability"),
        "mild": N_("Mild disability"),
        "severe": N_("Severe disability"),
        "especially_severe": N_("Especially severe disability"),
    },
    "education": {
        "none": N_("Did not finish primary school"),
        "primary": N_("Finished primary school (grade 5)"),
        "lower_secondary": N_("Finished lower secondary (grade 9)"),
        "upper_secondary": N_("Finished upper secondary (grade 12)"),
        "vocational": N_("Vocational certificate or diploma"),
        "college": N_("College"),
        "university": N_("University"),
    },
    "school_level": {
        "preschool": N_("Kindergarten"),
        "primary": N_("Primary school (grades 1–5)"),
        "lower_secondary": N_("Lower secondary (grades 6–9)"),
        "upper_secondary": N_("Upper secondary (grades 10–12)"),
        "vocational": N_("Vocational school"),
        "higher": N_("College or university"),
    },
    "walls": {
        "brick": N_("Brick"),
        "concrete": N_("Concrete"),
        "stone": N_("Stone"),
        "hardwood": N_("Hardwood"),
        "bamboo": N_("Bamboo or cork-wood"),
        "mud": N_("Mud"),
        "leaves": N_("Leaves or straw"),
        "tarpaulin": N_("Tarpaulin or plastic"),
        "salvaged": N_("Scrap material"),
        "other": N_("Something else"),
    },
    "frame": {
        "reinforced_concrete": N_("Reinforced concrete"),
        "steel": N_("Steel"),
        "brick": N_("Brick"),
        "hardwood": N_("Hardwood"),
        "bamboo": N_("Bamboo or cork-wood"),
        "other": N_("Something else"),
    },
    "roof": {
        "reinforced_concrete": N_("Concrete slab"),
        "tile": N_("Tiles"),
        "metal_sheet": N_("Metal sheets"),
        "fibre_cement": N_("Fibre-cement sheets"),
        "thatch": N_("Thatch or straw"),
        "leaves": N_("Leaves"),
        "tarpaulin": N_("Tarpaulin or plastic"),
        "salvaged": N_("Scrap material"),
        "other": N_("Something else"),
    },
    "water_source": {
        "piped": N_("Tap water"),
        "drilled_well": N_("Drilled well"),
        "protected_dug_well": N_("Dug well with a wall and cover"),
        "protected_spring": N_("Spring water led in by pipe, protected"),
        "rainwater": N_("Rainwater"),
        "bottled": N_("Bottled or bought clean water"),
        "unprotected_well": N_("Dug well without a wall or cover"),
        "unprotected_spring": N_("Spring water, not protected"),
        "surface_water": N_("River, stream, lake, pond or canal"),
        "tanker": N_("Water bought from a cart or tanker, source unknown"),
        "other": N_("Somewhere else"),
    },
    "latrine": {
        "septic_tank": N_("Flush toilet with a septic tank"),
        "semi_septic": N_("Toilet with two tanks (semi-septic)"),
        "flush_to_sewer": N_("Flush toilet into the sewer"),
        "ventilated_pit": N_("Pit latrine with a vent pipe"),
        "double_vault": N_("Two-vault composting latrine"),
        "simple_pit": N_("Simple pit without a slab"),
        "hanging": N_("Latrine over water or a fish pond"),
        "bucket": N_("Bucket"),
        "none": N_("No latrine"),
        "other": N_("Something else"),
    },
    "information_devices": {
        "tv": N_("Television"),
        "radio": N_("Radio"),
        "desktop": N_("Desktop computer"),
        "laptop": N_("Laptop"),
        "tablet": N_("Tablet"),
        "smartphone": N_("Smartphone"),
        "none": N_("None of these"),
    },
    "waste_disposal": {
        "collected": N_("Collected by the rubbish service"),
        "composted_or_buried": N_("Composted or buried in the garden"),
        "burned": N_("Burned"),
        "dumped": N_("Thrown away outside"),
        "other": N_("Something else"),
    },
}

# The vocabulary each question's choices come from: a label for every value, no more.
_VOCABULARY = {
    "sex": Sex,
    "relation": Relation,
    "employment": Employment,
    "disability": Disability,
    "education": Education,
    "school_level": SchoolLevel,
    "walls": WallMaterial,
    "frame": FrameMaterial,
    "roof": RoofMaterial,
    "water_source": WaterSource,
    "latrine": Latrine,
    "waste_disposal": WasteDisposal,
}
for _name, _kind in _VOCABULARY.items():
    assert set(LABELS[_name]) == set(get_args(_kind)), _name
assert set(LABELS["information_devices"]) == set(get_args(InformationDevice)) | {"none"}

# The questions whose facts only some indicators read, by indicator: a standard without the
# indicator is not asked them.
ASKED_FOR = {
    "phone_subscription": "telecom",
    "internet_access": "telecom",
    "information_devices": "information_access",
    "hears_loudspeaker": "information_access",
    "uses_internet": "digital_services",
    "waste_disposal": "waste",
}

MEMBER_BOOLEANS = (
    "pension",
    "health_insurance",
    "in_school",
    "stunted",
    "underweight",
    "phone_subscription",
    "uses_internet",
)
MEMBER_CHOICES = ("sex", "relation", "employment", "disability", "education", "school_level")
HOUSEHOLD_CHOICES = ("water_source", "latrine", "waste_disposal")
HOUSING_CHOICES = ("walls", "frame", "roof")
HOUSEHOLD_BOOLEANS = ("internet_access", "hears_loudspeaker")

_BIRTH = re.compile(r"^\s*(?:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*)?(\d{4})\s*$")
_AMOUNT = re.compile(r"[\s.,]")


def asked(standard: Standard) -> frozenset[str]:
    """Return the optional questions the standard reads (see ``ASKED_FOR``)."""
    ids = {indicator.id for indicator in standard.indicators}
    return frozenset(name for name, indicator in ASKED_FOR.items() if indicator in ids)


@dataclass
class Answers:
    """What the household answered, as the form holds it, and the problems found in it."""

    values: dict[str, str]
    devices: list[str]
    members: int
    problems: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        """Return the answer to ``name``, blank when not given."""
        return self.values.get(name, "")


def member_count(form: Mapping[str, Any]) -> int:
    """Return how many members the form holds (at least 1, at most ``MAX_MEMBERS``)."""
    raw = str(form.get("members", "1"))
    count = int(raw) if raw.isdigit() else 1
    return min(max(count, 1), MAX_MEMBERS)


def read_answers(form: Mapping[str, Any], devices: list[str], members: int) -> Answers:
    """Return the answers of a posted form, trimmed, for ``members`` members."""
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    return Answers(values=values, devices=devices, members=members)


def _choice(answers: Answers, name: str, vocabulary: str, problem: str) -> str | None:
    value = answers.get(name)
    if not value:
        return None
    if value not in LABELS[vocabulary]:
        answers.problems[name] = problem
        return None
    return value


def _yes_no(answers: Answers, name: str) -> bool | None:
    value = answers.get(name)
    if value not in YES_NO:
        return None
    return value == "yes"


def _amount(answers: Answers, name: str, limit: int = 10**13) -> int | None:
    text = _AMOUNT.sub("", answers.get(name))
    if not text:
        return None
    if not text.isdigit() or int(text) > limit:
        answers.problems[name] = N_("Write a whole number, for example 1.500.000")
        return None
    return int(text)


def _area(answers: Answers, name: str) -> float | int | None:
    # A comma is the Vietnamese decimal mark: "31,5" m².
    text = answers.get(name).replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100_000:
        answers.problems[name] = N_("Write a number of square metres, for example 36")
        return None
    return int(value) if value.is_integer() else value


def _birth(answers: Answers, name: str, today: date) -> dict[str, Any]:
    text = answers.get(name)
    if not text:
        return {}
    found = _BIRTH.match(text)
    if found is None:
        answers.problems[name] = N_("Write the date as day/month/year, or only the year")
        return {}
    day, month, year = found.groups()
    try:
        born = date(int(year), int(month), int(day)) if day else None
    except ValueError:
        answers.problems[name] = N_("This date does not exist")
        return {}
    if (born or date(int(year), 1, 1)) > today or int(year) < 1900:
        answers.problems[name] = N_("The birth date must be before today")
        return {}
    return {"birth_date": born.isoformat()} if born else {"birth_year": int(year)}


def _member(answers: Answers, index: int, today: date, facts: frozenset[str]) -> dict[str, Any]:
    prefix = f"m{index}_"
    member: dict[str, Any] = {"member_id": str(index + 1)}
    member.update(_birth(answers, prefix + "birth", today))
    for name in MEMBER_CHOICES:
        value = _choice(answers, prefix + name, name, N_("Choose one of the answers"))
        if value is not None:
            member[name] = value
    for name in MEMBER_BOOLEANS:
        if name in ASKED_FOR and name not in facts:
            continue
        flag = _yes_no(answers, prefix + name)
        if flag is not None:
            member[name] = flag
    return member


def household_document(
    answers: Answers, today: date, standard: Standard, household_id: str
) -> dict[str, Any]:
    """Return the ``rasoat.household/1`` document of the answers on ``today``, recording in
    ``answers.problems`` each answer that cannot be read (the document then leaves it out)."""
    facts = asked(standard)
    document: dict[str, Any] = {
        "format": "rasoat.household/1",
        "household_id": household_id,
        "reference_date": today.isoformat(),
        "area": answers.get("area") if answers.get("area") in LABELS["area"] else "rural",
        "members": [_member(answers, index, today, facts) for index in range(answers.members)],
    }
    if answers.get("area") not in LABELS["area"]:
        answers.problems["area"] = N_("Choose one of the answers")
    yearly = _amount(answers, "income_year")
    monthly = _amount(answers, "income_month")
    if monthly is not None:
        document["income"] = {"monthly_per_capita_vnd": monthly}
    elif yearly is not None:
        document["income"] = {"annual_total_vnd": yearly}
    housing: dict[str, Any] = {}
    for name in HOUSING_CHOICES:
        value = _choice(answers, name, name, N_("Choose one of the answers"))
        if value is not None:
            housing[name] = value
    area = _area(answers, "floor_area_m2")
    if area is not None:
        housing["floor_area_m2"] = area
    if housing:
        document["housing"] = housing
    for name in HOUSEHOLD_CHOICES:
        if name in ASKED_FOR and name not in facts:
            continue
        value = _choice(answers, name, name, N_("Choose one of the answers"))
        if value is not None:
            document[name] = value
    for name in HOUSEHOLD_BOOLEANS:
        if name not in facts:
            continue
        flag = _yes_no(answers, name)
        if flag is not None:
            document[name] = flag
    if "information_devices" in facts and answers.devices:
        # "None of these" is an answer (no device); nothing ticked is no answer.
        document["information_devices"] = [
            device
            for device in answers.devices
            if device in LABELS["information_devices"] and device != "none"
        ]
    return document


# The question each fact is asked with, also naming a fact the engine found missing.
TITLES = {
    "area": N_("Where does the household live?"),
    "income": N_("The household's income"),
    "income_year": N_("How much money did the whole household earn in the last 12 months?"),
    "income_month": N_("Or, if you know it: income per person per month"),
    "name": N_("Full name"),
    "birth": N_("Date of birth (day/month/year), or only the year"),
    "birth_date": N_("Date of birth"),
    "birth_year": N_("Date of birth"),
    "sex": N_("Man or woman?"),
    "relation": N_("Relation to the head of the household"),
    "employment": N_("Work"),
    "pension": N_("Does this person get a pension or a monthly social-insurance payment?"),
    "disability": N_("Disability"),
    "health_insurance": N_("Does this person have a health-insurance card?"),
    "education": N_("Highest school finished"),
    "in_school": N_("Is this person going to school now?"),
    "school_level": N_("Which school?"),
    "stunted": N_("Children under 16: is the child too short for their age (stunted)?"),
    "underweight": N_("Children under 16: is the child too light for their age (underweight)?"),
    "phone_subscription": N_("Does this person have a phone number (SIM) of their own?"),
    "uses_internet": N_("Does this person use the internet (Zalo, Facebook, online services)?"),
    "walls": N_("What are the walls made of?"),
    "frame": N_("What are the pillars or frame made of?"),
    "roof": N_("What is the roof made of?"),
    "floor_area_m2": N_("How big is the house inside, in square metres?"),
    "housing": N_("The house"),
    "water_source": N_("Where does the household's drinking and cooking water come from?"),
    "latrine": N_("What toilet does the household use?"),
    "internet_access": N_("Does the household have internet at home (Wi-Fi or mobile data)?"),
    "information_devices": N_("Which of these does the household have?"),
    "hears_loudspeaker": N_("Can the household hear the commune or hamlet loudspeaker?"),
    "waste_disposal": N_("What happens to the household's rubbish?"),
}
_MISSING = re.compile(r"^members\[(\d+)\]\.(\w+)$")


def missing_fact(path: str) -> tuple[int | None, str]:
    """Return (member number from 1, or None for the household; the fact's question) of a
    field path the engine names as missing (``members[2].education``, ``housing.roof``)."""
    found = _MISSING.match(path)
    if found:
        return int(found.group(1)) + 1, TITLES.get(found.group(2), TITLES["housing"])
    return None, TITLES.get(path.rsplit(".", 1)[-1], TITLES["housing"])
