"""Generated Vietnamese names and citizen-ID numbers: plausible, never real people."""

from __future__ import annotations

import random
from datetime import date

# Approximate shares of the commonest family names.
FAMILY = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4),
    ("Vũ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Đinh", 1),
    ("Lương", 1),
)
_FAMILY_NAMES = [name for name, _ in FAMILY]
_FAMILY_WEIGHTS = [weight for _, weight in FAMILY]
MIDDLE = {
    "male": ("Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Đình"),
    "female": ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Minh", "Phương"),
}
GIVEN = {
    "male": (
        "Quyết",
        "Hùng",
        "Dũng",
        "Tuấn",
        "Nam",
        "Hải",
        "Long",
        "Sơn",
        "Thắng",
        "Cường",
        "Bình",
        "Hoàng",
        "Phúc",
        "Khoa",
        "Tâm",
        "Toàn",
        "Lâm",
        "Hiếu",
        "Trung",
        "Đạt",
        "Đức",
        "Quân",
        "Việt",
        "Tiến",
        "Thành",
        "Huy",
        "Khánh",
        "Lợi",
        "Nghĩa",
        "Tùng",
    ),
    "female": (
        "Lan",
        "Hương",
        "Mai",
        "Hoa",
        "Thảo",
        "Linh",
        "Hạnh",
        "Nhung",
        "Trang",
        "Ngọc",
        "Hà",
        "Yến",
        "Nga",
        "Huyền",
        "Thủy",
        "Dung",
        "Oanh",
        "Phương",
        "Loan",
        "Vân",
        "Đào",
        "Hằng",
        "Liên",
        "Nhàn",
        "Quyên",
        "Tuyết",
        "Xuân",
        "My",
        "Giang",
        "Chi",
    ),
}


def family_name(rng: random.Random) -> str:
    """Return a family name drawn by national frequency."""
    return rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]


def full_name(rng: random.Random, sex: str, family: str | None = None) -> str:
    """Return family, middle and given name for ``sex`` ("male" or "female")."""
    key = "female" if sex == "female" else "male"
    return f"{family or family_name(rng)} {rng.choice(MIDDLE[key])} {rng.choice(GIVEN[key])}"


def citizen_id(rng: random.Random, province_code: str, sex: str, born: date) -> str:
    """Return a 12-digit number shaped like a citizen ID (province, sex and century, birth
    year, then six random digits); the random part makes it fictional."""
    century = 0 if born.year < 2000 else 2
    marker = century + (1 if sex == "female" else 0)
    return f"{province_code[-3:]:0>3}{marker}{born.year % 100:02d}{rng.randrange(10**6):06d}"
