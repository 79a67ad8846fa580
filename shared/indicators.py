"""How each kind of indicator rule tests a household.

Every test is three-valued: a member or a household is deprived (True), not deprived (False)
or cannot be assessed from what was recorded (None). An indicator over members is deprived when
any member is, not deprived when every member is known not to be, and unknown otherwise; an
unknown indicator lists the fields that would settle it. Nothing missing is ever counted as
"not deprived".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from shared.ages import completed_months, school_age
from shared.household import Household, Member
from shared.reasons import Fact, Reason, Vocab
from shared.standard import (
    AdultEducation,
    ChildNutrition,
    ChildSchooling,
    DependentShare,
    FloorAreaPerMember,
    HouseholdChoice,
    HousingMaterials,
    InformationAccess,
    MemberUsesInternet,
    Parameters,
    Rule,
    Telecom,
    UninsuredMember,
    WorkingAgeEmployment,
)

Status = Literal["deprived", "not_deprived", "unknown"]


class Outcome(NamedTuple):
    status: Status
    reason: Reason
    missing: tuple[str, ...] = ()


class Person(NamedTuple):
    """A member with the ages the rules need, computed once per household."""

    path: str
    member: Member
    months: int | None
    years: int | None


class Context:
    """The household with its members' ages and the standard's shared parameters."""

    __slots__ = ("household", "parameters", "people", "retire_female", "retire_male")

    def __init__(self, household: Household, parameters: Parameters) -> None:
        self.household = household
        self.parameters = parameters
        on = household.reference_date
        people = []
        for index, member in enumerate(household.members):
            born = member.born
            months = None if born is None else completed_months(born, on)
            people.append(
                Person(
                    f"members[{index}]", member, months, None if months is None else months // 12
                )
            )
        self.people = people
        working = parameters.working_age
        self.retire_male = working.male.months_in(on.year)
        self.retire_female = working.female.months_in(on.year)

    def past_working_age(self, person: Person) -> bool | None:
        """Return whether the member has reached retirement age (None if it cannot be told)."""
        months = person.months
        if months is None:
            return None
        sex = person.member.sex
        if sex == "male":
            return months >= self.retire_male
        if sex == "female":
            return months >= self.retire_female
        if months >= max(self.retire_male, self.retire_female):
            return True
        if months < min(self.retire_male, self.retire_female):
            return False
        return None

    def working_age(self, person: Person) -> bool | None:
        """Return whether the member is of working age (None if it cannot be told)."""
        if person.months is None:
            return None
        if person.months < self.parameters.working_age.min_years * 12:
            return False
        past = self.past_working_age(person)
        return None if past is None else not past


def _unknown(missing: list[str]) -> Outcome:
    return Outcome("unknown", Reason("unknown", {"missing": ", ".join(missing)}), tuple(missing))


def _over_members(
    ctx: Context,
    test: Callable[[Person], tuple[bool | None, Fact | None, list[str]]],
    ok: Reason,
) -> Outcome:
    """Combine a per-member test: deprived if any member is, unknown if any cannot be told."""
    facts: list[Fact] = []
    missing: list[str] = []
    for person in ctx.people:
        deprived, fact, needs = test(person)
        if deprived:
            assert fact is not None
            facts.append(fact)
        elif deprived is None:
            missing.extend(needs)
    if facts:
        return Outcome("deprived", Reason("members_deprived", facts=tuple(facts)))
    if missing:
        return _unknown(missing)
    return Outcome("not_deprived", ok)


def working_age_employment(rule: WorkingAgeEmployment, ctx: Context) -> Outcome:
    statuses = rule.deprived_statuses

    def test(person: Person) -> tuple[bool | None, Fact | None, list[str]]:
        member = person.member
        working = ctx.working_age(person)
        if working is False:
            return False, None, []
        if member.employment is not None and member.employment not in statuses:
            return False, None, []
        if working is None:
            needs = [f"{person.path}.birth_date" if person.months is None else f"{person.path}.sex"]
            if member.employment is None:
                needs.append(f"{person.path}.employment")
            return None, None, needs
        if member.employment is None:
            return None, None, [f"{person.path}.employment"]
        fact = Fact(
            member.member_id, person.years, "employment", {"status": Vocab(member.employment)}
        )
        return True, fact, []

    return _over_members(ctx, test, Reason("employment.ok"))


def _is_dependent(person: Person, ctx: Context) -> bool | None:
    definition = ctx.parameters.dependent
    member = person.member
    if member.disability is not None and member.disability in definition.disabilities:
        return True
    if person.months is not None and person.months < definition.under_years * 12:
        return True
    past: bool | None = False
    if definition.past_working_age_without_pension:
        past = ctx.past_working_age(person)
        if past and member.pension is False:
            return True
        if past and member.pension is None:
            return None
    if person.months is None or past is None or member.disability is None:
        return None
    return False


def dependent_share(rule: DependentShare, ctx: Context) -> Outcome:
    members = len(ctx.people)
    share = rule.max_fraction
    sure = 0
    maybe: list[str] = []
    for person in ctx.people:
        dependent = _is_dependent(person, ctx)
        if dependent:
            sure += 1
        elif dependent is None:
            maybe.append(person.path)
    limit = share * members
    args: dict[str, object] = {"members": members, "share": round(float(share) * 100)}
    if sure > limit:
        return Outcome("deprived", Reason("dependents.deprived", {**args, "dependents": sure}))
    if sure + len(maybe) <= limit:
        return Outcome("not_deprived", Reason("dependents.ok", {**args, "dependents": sure}))
    return _unknown([f"{path}.(birth_date|sex|pension|disability)" for path in maybe])


def child_nutrition(rule: ChildNutrition, ctx: Context) -> Outcome:
    limit = rule.under_years * 12

    def test(person: Person) -> tuple[bool | None, Fact | None, list[str]]:
        member = person.member
        if person.months is not None and person.months >= limit:
            return False, None, []
        if member.stunted or member.underweight:
            if person.months is None:
                return None, None, [f"{person.path}.birth_date"]
            key = "stunted" if member.stunted else "underweight"
            return True, Fact(member.member_id, person.years, key), []
        if member.stunted is False and member.underweight is False:
            return False, None, []
        needs = [
            f"{person.path}.{name}"
            for name in ("stunted", "underweight")
            if getattr(member, name) is None
        ]
        if person.months is None:
            needs.insert(0, f"{person.path}.birth_date")
        return None, None, needs

    return _over_members(ctx, test, Reason("nutrition.ok", {"under": rule.under_years}))


def uninsured_member(rule: UninsuredMember, ctx: Context) -> Outcome:
    limit = rule.min_years * 12

    def test(person: Person) -> tuple[bool | None, Fact | None, list[str]]:
        insured = person.member.health_insurance
        if insured:
            return False, None, []
        if person.months is not None and person.months < limit:
            return False, None, []
        if insured is None:
            return None, None, [f"{person.path}.health_insurance"]
        if person.months is None:
            return None, None, [f"{person.path}.birth_date"]
        return True, Fact(person.member.member_id, person.years, "uninsured"), []

    return _over_members(ctx, test, Reason("health_insurance.ok", {"min_age": rule.min_years}))


def adult_education(rule: AdultEducation, ctx: Context) -> Outcome:
    bands = rule.bands

    def test(person: Person) -> tuple[bool | None, Fact | None, list[str]]:
        member = person.member
        if member.in_school:
            return False, None, []
        if person.years is None:
            return None, None, [f"{person.path}.birth_date"]
        band = next((b for b in bands if b.min_years <= person.years <= b.max_years), None)
        if band is None:
            return False, None, []
        if member.education is not None and member.education in band.accepted:
            return False, None, []
        needs = [
            f"{person.path}.{name}"
            for name in ("in_school", "education")
            if getattr(member, name) is None
        ]
        if needs:
            return None, None, needs
        fact = Fact(
            member.member_id,
            person.years,
            "lacks_education",
            {"education": Vocab(member.education or "none")},
        )
        return True, fact, []

    return _over_members(ctx, test, Reason("adult_education.ok"))


def child_schooling(rule: ChildSchooling, ctx: Context) -> Outcome:
    on = ctx.household.reference_date
    low = min(band.min_age for band in rule.expected)
    high = max(band.max_age for band in rule.expected)

    def test(person: Person) -> tuple[bool | None, Fact | None, list[str]]:
        member = person.member
        born = member.born
        if born is None:
            return None, None, [f"{person.path}.birth_date"]
        age = school_age(born, on, rule.school_year_start_month)
        if not low <= age <= high:
            return False, None, []
        expected = next(b.min_rank for b in rule.expected if b.min_age <= age <= b.max_age)
        level = member.school_level
        if level is not None:
            if rule.level_rank[level] >= expected:
                return False, None, []
            return True, Fact(member.member_id, person.years, "behind", {"level": Vocab(level)}), []
        if member.in_school is False:
            return True, Fact(member.member_id, person.years, "not_attending"), []
        return None, None, [f"{person.path}.school_level"]

    return _over_members(ctx, test, Reason("child_schooling.ok"))


def housing_materials(rule: HousingMaterials, ctx: Context) -> Outcome:
    housing = ctx.household.housing
    durable = rule.durable
    parts: list[tuple[str, str | None, list[str]]] = [
        ("walls", None if housing is None else housing.walls, list(durable.walls)),
        ("frame", None if housing is None else housing.frame, list(durable.frame)),
        ("roof", None if housing is None else housing.roof, list(durable.roof)),
    ]
    weak = [(name, value) for name, value, good in parts if value is not None and value not in good]
    missing = [f"housing.{name}" for name, value, _ in parts if value is None]
    limit = rule.min_non_durable_parts
    args: dict[str, object] = {
        "count": len(weak),
        "limit": limit,
        "parts": ", ".join(f"{name}={value}" for name, value in weak),
    }
    if len(weak) >= limit:
        return Outcome("deprived", Reason("housing_quality.deprived", args))
    if len(weak) + len(missing) < limit:
        return Outcome("not_deprived", Reason("housing_quality.ok", args))
    return _unknown(missing)


def floor_area_per_member(rule: FloorAreaPerMember, ctx: Context) -> Outcome:
    housing = ctx.household.housing
    area = None if housing is None else housing.floor_area_m2
    if area is None:
        return _unknown(["housing.floor_area_m2"])
    members = len(ctx.people)
    args = {
        "area": f"{area:g}",
        "members": members,
        "per_member": f"{area / members:.1f}",
        "limit": f"{rule.min_m2:g}",
    }
    if area < rule.min_m2 * members:
        return Outcome("deprived", Reason("housing_area.deprived", args))
    return Outcome("not_deprived", Reason("housing_area.ok", args))


def household_choice(rule: HouseholdChoice, ctx: Context) -> Outcome:
    value: str | None = getattr(ctx.household, rule.field)
    if value is None:
        return _unknown([rule.field])
    args = {"field": Vocab(rule.field), "value": value}
    if value in rule.acceptable:
        return Outcome("not_deprived", Reason("choice.ok", args))
    return Outcome("deprived", Reason("choice.deprived", args))


def telecom(rule: Telecom, ctx: Context) -> Outcome:
    household = ctx.household
    if household.internet_access:
        return Outcome("not_deprived", Reason("telecom.internet"))
    missing = [] if household.internet_access is False else ["internet_access"]
    for person in ctx.people:
        phone = person.member.phone_subscription
        if phone:
            return Outcome(
                "not_deprived", Reason("telecom.phone", {"member_id": person.member.member_id})
            )
        if phone is None:
            missing.append(f"{person.path}.phone_subscription")
    if missing:
        return _unknown(missing)
    return Outcome("deprived", Reason("telecom.deprived"))


def information_access(rule: InformationAccess, ctx: Context) -> Outcome:
    household = ctx.household
    devices = household.information_devices
    if devices:
        owned = [device for device in devices if device in rule.devices]
        if owned:
            return Outcome(
                "not_deprived",
                Reason("information_access.device", {"devices": ", ".join(owned)}),
            )
    if household.hears_loudspeaker:
        return Outcome("not_deprived", Reason("information_access.loudspeaker"))
    missing = [] if devices is not None else ["information_devices"]
    if household.hears_loudspeaker is None:
        missing.append("hears_loudspeaker")
    if missing:
        return _unknown(missing)
    return Outcome("deprived", Reason("information_access.deprived"))


def member_uses_internet(rule: MemberUsesInternet, ctx: Context) -> Outcome:
    missing: list[str] = []
    for person in ctx.people:
        uses = person.member.uses_internet
        if uses:
            return Outcome(
                "not_deprived",
                Reason("digital_services.ok", {"member_id": person.member.member_id}),
            )
        if uses is None:
            missing.append(f"{person.path}.uses_internet")
    if missing:
        return _unknown(missing)
    return Outcome("deprived", Reason("digital_services.deprived"))


EVALUATORS: dict[type[Any], Callable[[Any, Context], Outcome]] = {
    WorkingAgeEmployment: working_age_employment,
    DependentShare: dependent_share,
    ChildNutrition: child_nutrition,
    UninsuredMember: uninsured_member,
    AdultEducation: adult_education,
    ChildSchooling: child_schooling,
    HousingMaterials: housing_materials,
    FloorAreaPerMember: floor_area_per_member,
    HouseholdChoice: household_choice,
    Telecom: telecom,
    InformationAccess: information_access,
    MemberUsesInternet: member_uses_internet,
}


def evaluate(rule: Rule, ctx: Context) -> Outcome:
    """Return the outcome of one indicator rule for the household in ``ctx``."""
    return EVALUATORS[type(rule)](rule, ctx)
