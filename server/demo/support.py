"""The demo commune's plan to help households exit poverty, modelled on seed 002: 51 households
registered for 2023 across the hamlets and 20 helping officers (commune staff and members of
the Fatherland Front and its unions), built through the ordinary services. Seed 000's commune
has 42 poor and near-poor households, so 9 more poor households are added first.

Called by ``rasoat admin demo-support``, the tests and the benchmark; never commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit.service import SYSTEM, Actor
from server.auth.models import User
from server.auth.policy import Principal, Role, Scope, ScopeKind
from server.demo import commune as spec
from server.demo.names import full_name
from server.demo.population import random_household
from server.geography import repository as geography
from server.households.service import Classified, MemberData, load_households
from server.support import repository as support_repository
from server.support import service
from shared.engine import classify, parse_household
from shared.errors import ErrorCode, RasoatError

YEAR = 2023
REGISTERED = 51
# (organisation, skills, hamlets responsible for: 0 = the whole commune, else how many)
OFFICERS = (
    ("commune_staff", ["social_assistance", "health"], 0),
    ("commune_staff", ["crops_livestock"], 0),
    ("commune_staff", ["housing"], 0),
    ("commune_staff", ["credit", "vocational_jobs"], 0),
    ("commune_staff", ["health"], 2),
    ("commune_staff", ["vocational_jobs", "social_assistance"], 2),
    ("commune_staff", ["housing", "crops_livestock"], 2),
    ("commune_staff", ["credit"], 2),
    ("fatherland_front", ["housing", "social_assistance"], 0),
    ("fatherland_front", ["social_assistance"], 2),
    ("fatherland_front", ["housing"], 1),
    ("womens_union", ["credit", "health"], 2),
    ("womens_union", ["vocational_jobs", "credit"], 2),
    ("womens_union", ["health", "social_assistance"], 2),
    ("farmers_union", ["crops_livestock", "credit"], 2),
    ("farmers_union", ["crops_livestock"], 2),
    ("veterans_union", ["crops_livestock", "housing"], 2),
    ("veterans_union", ["credit", "social_assistance"], 2),
    ("youth_union", ["vocational_jobs"], 2),
    ("youth_union", ["vocational_jobs", "housing"], 2),
)
CAUSES = (
    "lack_capital",
    "lack_know_how",
    "lack_land",
    "lack_skills",
    "illness_or_accident",
    "many_dependents",
    "lack_labour",
    "disability",
)
HELP = (
    "know_how",
    "labour_days",
    "breeding_stock",
    "relatives",
    "preferential_loan",
    "health_insurance",
    "housing",
    "vocational_training",
    "social_assistance",
)


@dataclass(frozen=True)
class SupportSummary:
    commune_id: int
    officer_ids: list[int]
    registration_ids: list[int]
    added_households: int


def _commune_officer(session: Session, commune_id: int) -> Principal:
    user = session.scalars(
        select(User).where(User.role == Role.COMMUNE_OFFICER.value, User.commune_id == commune_id)
    ).first()
    if user is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what="the demo commune officer")
    # Acting for the demo officer from no device: nothing here is pushed or pulled.
    return Principal(
        user.id,
        user.username,
        Role.COMMUNE_OFFICER,
        Scope(ScopeKind.COMMUNE, commune_id=commune_id),
        device_id=0,
    )


def _add_poor_households(session: Session, rng: random.Random, count: int) -> None:
    commune = geography.commune_by_code(session, str(spec.COMMUNE["code"]))
    assert commune is not None
    for index in range(count):
        plan = spec.HAMLETS[index % len(spec.HAMLETS)]
        hamlet = geography.hamlet_by_code(session, commune.id, plan.code)
        assert hamlet is not None
        west, south, east, north = spec.grid_cell(index % len(spec.HAMLETS))
        code = f"VL-{plan.code}-N{index + 1:03d}"
        document = random_household(rng, code, spec.REFERENCE_DATE, "urban", "poor")
        result = classify(parse_household(document))
        head = next(m for m in document["members"] if m["relation"] == "head")
        head_name = full_name(rng, head["sex"])
        entry = Classified(
            code=code,
            head_name=head_name,
            address=f"Số {900 + index}, {plan.name}",
            latitude=round(rng.uniform(south, north), 6),
            longitude=round(rng.uniform(west, east), 6),
            members=[MemberData(head["member_id"], head_name, relation="head", sex=head["sex"])],
            result=result,
        )
        load_households(session, SYSTEM, hamlet, [entry], spec.YEAR, "demo")


def build_demo_support(session: Session, seed: int = 2023) -> SupportSummary:
    """Add the helping officers and the 51 confirmed registrations for 2023 to the demo
    commune (which must exist); return their ids. Raises CONFLICT when done already."""
    commune = geography.commune_by_code(session, str(spec.COMMUNE["code"]))
    if commune is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what="the demo commune")
    if support_repository.officers(session, commune.id):
        raise RasoatError(ErrorCode.CONFLICT, problem="the demo has helping officers already")
    rng = random.Random(seed)
    principal = _commune_officer(session, commune.id)
    actor = Actor(principal.user_id, principal.username)
    by_code = {h.code: h.id for h in geography.hamlets(session, principal.scope, commune.id)}
    poor = support_repository.listed_households(session, commune.id, spec.YEAR)
    added = max(REGISTERED - len(poor), 0)
    _add_poor_households(session, rng, added)
    # The demo's helping officer account takes the first officer working in its hamlets only.
    helper = session.scalars(select(User).where(User.username == "phutrach")).first()
    helper_hamlets = [] if helper is None else sorted(h.hamlet_id for h in helper.hamlets)
    officer_ids = []
    for number, (organisation, skills, spread) in enumerate(OFFICERS):
        west, south, east, north = spec.grid_cell(number % len(spec.HAMLETS))
        responsible = sorted(
            by_code[spec.HAMLETS[(number + k) % len(spec.HAMLETS)].code] for k in range(spread)
        )
        officer = service.create_officer(
            session,
            principal,
            actor,
            commune.id,
            service.OfficerData(
                full_name=full_name(rng, rng.choice(("male", "female"))),
                organisation=organisation,
                skills=skills,
                hamlet_ids=responsible,
                capacity=rng.randint(3, 5),
                base_latitude=round((south + north) / 2, 6),
                base_longitude=round((west + east) / 2, 6),
                user_id=None if helper is None or responsible != helper_hamlets else helper.id,
            ),
        )
        officer_ids.append(officer.id)
    registration_ids = []
    listed = support_repository.listed_households(session, commune.id, spec.YEAR)
    for household_id in listed[:REGISTERED]:
        registration = service.register(
            session,
            principal,
            actor,
            service.RegistrationData(
                household_id=household_id,
                year=YEAR,
                causes=sorted(rng.sample(CAUSES, rng.randint(1, 2))),
                needs=[
                    {"help_type": h, "detail": None, "responsible": None}
                    for h in sorted(rng.sample(HELP, rng.randint(1, 3)))
                ],
                target_date=date(YEAR, 11, 30),
                officers_needed=2 if rng.random() < 0.2 else 1,
            ),
        )
        registration_ids.append(registration.id)
    service.set_status(session, principal, actor, registration_ids, "confirmed")
    return SupportSummary(commune.id, officer_ids, registration_ids, added)
