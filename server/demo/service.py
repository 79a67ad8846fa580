"""Building the demo commune in a database (through the ordinary services; never commits)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from server.audit.service import SYSTEM, record
from server.auth.policy import Role, Scope, ScopeKind
from server.auth.security import Security
from server.auth.service import create_user
from server.demo import commune as spec
from server.demo.names import citizen_id, family_name, full_name
from server.demo.population import random_household
from server.geography import repository as geography
from server.geography.service import create_commune, create_hamlet, create_province
from server.households.service import Classified, MemberData, load_households
from server.reports.service import ServiceSetting, TargetCounts, TargetData, set_targets
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError

DEMO_PASSWORD = "rasoat-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    where: str


@dataclass(frozen=True)
class DemoSummary:
    commune_id: int
    households: int
    classes: dict[str, int]
    logins: list[DemoLogin]
    password: str


def _members(
    rng: random.Random, document: dict[str, object], province_code: str
) -> list[MemberData]:
    roster = document["members"]
    assert isinstance(roster, list)
    head = next(m for m in roster if m["relation"] == "head")
    spouse = next((m for m in roster if m["relation"] == "spouse"), None)
    father = head if head["sex"] == "male" or spouse is None else spouse
    lineage = family_name(rng)
    members = []
    for member in roster:
        born = date.fromisoformat(member["birth_date"])
        family = (
            lineage
            if member is father or member["relation"] in ("child", "grandchild", "sibling")
            else None
        )
        if member["relation"] == "parent":
            family = lineage if member["sex"] == "male" else None
        adult = (spec.REFERENCE_DATE - born).days >= 14 * 365
        members.append(
            MemberData(
                member_no=member["member_id"],
                full_name=full_name(rng, member["sex"], family),
                birth_date=born,
                sex=member["sex"],
                relation=member["relation"],
                national_id=citizen_id(rng, province_code, member["sex"], born) if adult else None,
            )
        )
    return members


def _plan_targets(session: Session, commune_id: int) -> None:
    """Store the commune's targets for the plan year, so its gap to them means something."""
    set_targets(
        session,
        None,
        SYSTEM,
        commune_id,
        spec.PLAN_YEAR,
        TargetData(
            TargetCounts(spec.POOR_TARGET, spec.NEAR_POOR_TARGET),
            {code: TargetCounts(*counts) for code, counts in spec.HAMLET_TARGETS.items()},
            {key: ServiceSetting(*target) for key, target in spec.SERVICE_TARGETS.items()},
        ),
    )


def build_demo(session: Session, security: Security, seed: int = 2022) -> DemoSummary:
    """Create the demo province, commune, 10 hamlets with boundaries, 2,567 classified
    households, the targets of its plan year and one user per role; return what was made.
    Raises CONFLICT when the demo commune exists already."""
    if geography.commune_by_code(session, str(spec.COMMUNE["code"])) is not None:
        raise RasoatError(ErrorCode.CONFLICT, problem="the demo commune exists already")
    rng = random.Random(seed)
    province = create_province(session, SYSTEM, *spec.PROVINCE)
    commune = create_commune(session, SYSTEM, province, **spec.COMMUNE)
    classes: Counter[str] = Counter()
    hamlets = {}
    for index, plan in enumerate(spec.HAMLETS):
        hamlet = create_hamlet(
            session,
            SYSTEM,
            commune,
            plan.code,
            plan.name,
            "khu_pho",
            "urban",
            spec.polygon(index, rng),
        )
        hamlets[plan.code] = hamlet
        west, south, east, north = spec.grid_cell(index)
        margin_x, margin_y = (east - west) * 0.15, (north - south) * 0.15
        entries = []
        for number, target in enumerate(spec.targets(plan, rng), start=1):
            code = f"VL-{plan.code}-{number:04d}"
            document = random_household(rng, code, spec.REFERENCE_DATE, "urban", target)
            result = classify(parse_household(document))
            if result.household_class != target:
                raise AssertionError(f"{code} classified {result.household_class}, not {target}")
            members = _members(rng, document, province.code)
            head = next(m for m in members if m.relation == "head")
            entries.append(
                Classified(
                    code=code,
                    head_name=head.full_name,
                    address=f"Số {number}, {plan.name}",
                    latitude=round(rng.uniform(south + margin_y, north - margin_y), 6),
                    longitude=round(rng.uniform(west + margin_x, east - margin_x), 6),
                    members=members,
                    result=result,
                )
            )
            classes[target] += 1
        load_households(session, SYSTEM, hamlet, entries, spec.YEAR, "demo")
    _plan_targets(session, commune.id)
    record(
        session,
        SYSTEM,
        "load_demo",
        "commune",
        commune.id,
        after={"seed": seed, "households": sum(classes.values()), "classes": dict(classes)},
    )
    logins = [
        DemoLogin("admin", Role.ADMIN, f"province {province.name}"),
        DemoLogin("tinh", Role.PROVINCE_VIEWER, f"province {province.name}"),
        DemoLogin("chutich", Role.COMMUNE_CHAIR, commune.name),
        DemoLogin("canbo", Role.COMMUNE_OFFICER, commune.name),
        DemoLogin("rasoatvien", Role.ENUMERATOR, "Khu phố 1, Khu phố 2"),
        DemoLogin("truongkp1", Role.HAMLET_HEAD, "Khu phố 1"),
        DemoLogin("phutrach", Role.HELPING_OFFICER, "Khu phố 1"),
    ]
    scopes = {
        Role.ADMIN: Scope(ScopeKind.PROVINCE, province_id=province.id),
        Role.PROVINCE_VIEWER: Scope(ScopeKind.PROVINCE, province_id=province.id),
        Role.COMMUNE_CHAIR: Scope(ScopeKind.COMMUNE, commune_id=commune.id),
        Role.COMMUNE_OFFICER: Scope(ScopeKind.COMMUNE, commune_id=commune.id),
        Role.ENUMERATOR: Scope(
            ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlets["KP1"].id, hamlets["KP2"].id})
        ),
        Role.HAMLET_HEAD: Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlets["KP1"].id})),
        Role.HELPING_OFFICER: Scope(ScopeKind.HAMLETS, hamlet_ids=frozenset({hamlets["KP1"].id})),
    }
    for login in logins:
        create_user(
            session,
            security,
            SYSTEM,
            login.username,
            full_name(rng, rng.choice(("male", "female"))),
            DEMO_PASSWORD,
            login.role,
            scopes[login.role],
        )
    return DemoSummary(commune.id, sum(classes.values()), dict(classes), logins, DEMO_PASSWORD)
