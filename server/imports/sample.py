"""A made-up household list in the template's columns, for the tests and the benchmark."""

from __future__ import annotations

import random
from datetime import date

from server.demo.names import full_name
from server.imports.values import Cell

Relative = tuple[str, str | None, int, int]
RELATIVES: tuple[Relative, ...] = (
    ("Con", None, 0, 25),
    ("Con", None, 0, 25),
    ("Mẹ", "female", 45, 80),
)
CLASS_WORDS = ("Hộ nghèo", "Hộ cận nghèo", "Hộ có mức sống trung bình", "Không nghèo")
CLASS_WEIGHTS = (0.04, 0.04, 0.07, 0.85)


def household_list(
    rng: random.Random, households: int, hamlets: list[str], year: int, first: int = 1
) -> list[list[Cell]]:
    """Return the rows of ``households`` households (1 to 6 members, the head first), spread
    over ``hamlets``, in the template's column order. Codes run from ``first``; every
    citizen id is distinct (province 038, then the household's number and the member's)."""
    rows: list[list[Cell]] = []
    for number in range(first, first + households):
        code = f"HO-{number:05d}"
        size = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6))
        head_sex = "male" if rng.random() < 0.78 else "female"
        head = full_name(rng, head_sex)
        family = head.split()[0]
        household: list[Cell] = [
            hamlets[number % len(hamlets)],
            code,
            head,
            f"Số {rng.randint(1, 300)}, xóm {rng.randint(1, 9)}",
        ]
        klass = rng.choices(CLASS_WORDS, CLASS_WEIGHTS)[0]
        spouse: Relative = (
            ("Vợ", "female", 22, 70) if head_sex == "male" else ("Chồng", "male", 22, 70)
        )
        members: list[Relative] = [("Chủ hộ", head_sex, 25, 80)]
        members += [spouse if n == 0 else rng.choice(RELATIVES) for n in range(size - 1)]
        for position, (relation, sex, youngest, oldest) in enumerate(members):
            sex = sex or rng.choice(("male", "female"))
            name = head if position == 0 else full_name(rng, sex, family)
            born = date(
                year - rng.randint(youngest, oldest), rng.randint(1, 12), rng.randint(1, 28)
            )
            rows.append(
                [
                    *(household if position == 0 else [None, None, None, None]),
                    name,
                    born.strftime("%d/%m/%Y"),
                    "Nam" if sex == "male" else "Nữ",
                    relation,
                    f"038{number:06d}{position:03d}" if born.year < year - 14 else None,
                    klass if position == 0 else None,
                ]
            )
    return rows
