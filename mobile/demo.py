"""A demo tablet: one enumerator with two hamlets (one of 2,000 households), for development,
the UI tests and ``bench/mobile_start.py``. Deterministic: the same seed gives the same data."""

from __future__ import annotations

import math
import random
import sqlite3

from mobile.store.accounts import Account, Accounts, Profile
from mobile.store.records import Hamlet, Household, UserStore
from shared.vocabulary import CLASSES, ON_LISTS, HouseholdClass

DEMO_USER = "demo"
DEMO_SECRET = "123456"

_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Lò",
    "Hà",
    "Nông",
    "Triệu",
    "Đinh",
    "Lường",
)
_MIDDLE_M = ("Văn", "Đức", "Minh", "Quốc", "Hữu")
_MIDDLE_F = ("Thị", "Ngọc", "Thu", "Kim")
_GIVEN_M = ("Đức", "Hùng", "Dũng", "Thắng", "Sơn", "Tuấn", "Lực", "Khánh", "Quý", "Thành")
_GIVEN_F = ("Mai", "Lan", "Hương", "Hường", "Nga", "Thảo", "Yến", "Xuân", "Hạnh", "Ánh")
_HAMLETS = ((1, "Thôn Khuổi Phầy 2", 2000), (2, "Bản Nà Khoang", 180))
# A demo household has last year's determined class, or none yet (never classified).
_CLASSES: tuple[HouseholdClass | None, ...] = (
    *(c for c in CLASSES if c != "undetermined"),
    None,
)
# Where the demo hamlets lie (Bắc Kạn hills): a middle and a half-width in degrees.
_PLACES = {1: (22.1470, 105.8340, 0.012), 2: (22.1710, 105.8590, 0.006)}


def demo_boundary(hamlet_id: int) -> dict[str, object]:
    """Return a made-up hamlet boundary (an irregular octagon round the hamlet's middle)."""
    lat, lon, half = _PLACES.get(hamlet_id, (22.15, 105.84, 0.01))
    shape = (1.0, 0.8, 1.1, 0.9, 1.0, 0.75, 1.05, 0.85)
    ring = [
        [
            round(lon + half * r * math.cos(math.radians(45 * i)), 6),
            round(lat + half * r * math.sin(math.radians(45 * i)), 6),
        ]
        for i, r in enumerate(shape)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _name(rng: random.Random, male: bool) -> str:
    middle = rng.choice(_MIDDLE_M if male else _MIDDLE_F)
    given = rng.choice(_GIVEN_M if male else _GIVEN_F)
    return f"{rng.choice(_FAMILY)} {middle} {given}"


def _born(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"


def demo_households(hamlet_id: int, count: int, seed: int = 7) -> list[Household]:
    """Return ``count`` made-up households of a hamlet."""
    rng = random.Random(seed * 1000 + hamlet_id)
    # A stream of its own, so the people stay those earlier demos and tests knew.
    places = random.Random(seed * 7919 + hamlet_id)
    lat, lon, half = _PLACES.get(hamlet_id, (22.15, 105.84, 0.01))
    households = []
    for number in range(1, count + 1):
        head_male = rng.random() < 0.7
        head = _name(rng, head_male)
        members = [
            {
                "full_name": head,
                "birth_date": _born(rng, 1950, 1995),
                "relation": "head",
            }
        ]
        for _ in range(rng.randint(0, 4)):
            members.append(
                {
                    "full_name": _name(rng, rng.random() < 0.5),
                    "birth_date": _born(rng, 1960, 2022),
                    "relation": rng.choice(("spouse", "child", "parent", "grandchild")),
                }
            )
        household_class = rng.choice(_CLASSES)
        history = [{"year": 2025, "household_class": household_class}] if household_class else []
        latest = None
        if household_class in ON_LISTS:
            latest = {
                "indicators": {
                    "latrine": {"status": "deprived", "reason": "Hộ dùng nhà tiêu đơn giản"},
                    "health_insurance": {
                        "status": "deprived",
                        "reason": "Thành viên 2 không có thẻ bảo hiểm y tế",
                    },
                }
            }
        households.append(
            Household(
                household_id=hamlet_id * 100_000 + number,
                hamlet_id=hamlet_id,
                code=f"KP{hamlet_id}-{number:04d}",
                head_name=head,
                address=f"Xóm {rng.choice(('Nà Khoang', 'Cốc Phường', 'Bó Mạ', 'Đồng Tâm'))}",
                household_class=household_class,
                members=[{"member_no": str(no), **member} for no, member in enumerate(members, 1)],
                history=history,
                latest=latest,
                latitude=round(lat + places.uniform(-0.5, 0.5) * half, 6),
                longitude=round(lon + places.uniform(-0.5, 0.5) * half, 6),
            )
        )
    return households


def seed_demo(
    db: sqlite3.Connection,
    photo_dir: object = None,
    kdf_cost: int = 2**14,
    sizes: tuple[int, ...] | None = None,
) -> Account:
    """Create (or refresh) the demo enumerator and their hamlets; return the account."""
    from pathlib import Path

    accounts = Accounts(db, kdf_cost=kdf_cost)
    account = accounts.remember(
        Profile(DEMO_USER, "Nguyễn Thị Hường", "enumerator", None), DEMO_SECRET, {}
    )
    store = UserStore(db, account, Path(str(photo_dir or ".")))
    hamlets = [
        (hid, name, (sizes or ())[i] if sizes else n) for i, (hid, name, n) in enumerate(_HAMLETS)
    ]
    store.save_hamlets(
        Hamlet(hid, name, "Xã Tân Lập", "rural", demo_boundary(hid)) for hid, name, _ in hamlets
    )
    if not store.household_counts():
        for hid, _, count in hamlets:
            store.save_households(demo_households(hid, count))
    return account
