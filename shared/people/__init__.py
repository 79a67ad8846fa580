"""The official lists a person's record is checked against, as data beside this module: the
ethnic groups of Vietnam (``ethnic_groups.yaml``) and the province codes that open a citizen
identity number (``citizen_id_provinces.yaml``); and the structure check of that number."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from shared.household import Sex

_DIR = Path(__file__).parent


def _read(name: str) -> Any:
    return yaml.safe_load((_DIR / name).read_text(encoding="utf-8"))


@cache
def ethnic_groups() -> dict[str, str]:
    """Return the Vietnamese name of each ethnic group by its two-digit code."""
    groups: dict[str, str] = _read("ethnic_groups.yaml")["groups"]
    return groups


@cache
def majority_ethnicity() -> str:
    """Return the code of the majority group (Kinh): every other group is a minority."""
    code: str = _read("ethnic_groups.yaml")["majority"]
    return code


@cache
def citizen_id_provinces() -> dict[str, str]:
    """Return the province of each three-digit code a citizen identity number opens with."""
    provinces: dict[str, str] = _read("citizen_id_provinces.yaml")
    return provinces


CitizenIdFault = Literal["digits", "province", "sex", "birth_year"]


def citizen_id_fault(number: str, sex: Sex | None, birth_year: int | None) -> CitizenIdFault | None:
    """Return which part of a 12-digit citizen identity number is wrong, None if none is:
    ``digits`` (not 12 digits), ``province`` (digits 1–3 open no province), ``sex`` (digit 4
    gives the other sex) or ``birth_year`` (digits 4–6 give another year). Forms name each
    fault in their own words (forms/household_review/v3.yaml).

    The number is 3 digits of the birth-registration province, 1 digit of sex and century
    (0/1 a man or woman born 1900–1999, 2/3 born 2000–2099, and so on by century), the last 2
    digits of the birth year and a 6-digit serial; it has no check digit (Decree 137/2015/NĐ-CP
    Art. 13, Circular 07/2016/TT-BCA Art. 7). Sex and birth year are compared when recorded.
    """
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return "digits"
    if number[:3] not in citizen_id_provinces():
        return "province"
    code = int(number[3])
    if sex is not None and (code % 2 == 1) != (sex == "female"):
        return "sex"
    if birth_year is not None:
        century = 1900 + 100 * (code // 2)
        if birth_year // 100 * 100 != century or int(number[4:6]) != birth_year % 100:
            return "birth_year"
    return None


def citizen_id_problem(number: str, sex: Sex | None, birth_year: int | None) -> str | None:
    """Return what is wrong with a 12-digit citizen identity number (``citizen_id_fault``)
    in words, None if nothing is."""
    fault = citizen_id_fault(number, sex, birth_year)
    if fault == "digits":
        return "a citizen identity number is 12 digits"
    if fault == "province":
        return f"{number[:3]} is not a province code of a citizen identity number"
    if fault == "sex":
        return f"digit 4 ({number[3]}) gives the other sex"
    if fault == "birth_year":
        return f"digits 4–6 ({number[3:6]}) do not give the birth year {birth_year}"
    return None
