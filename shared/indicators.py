"""How each kind of indicator rule tests a household.

Every test is three-valued: a member or a household is deprived (True), not deprived (False)
or cannot be assessed from what was recorded (None). An indicator over members is deprived when
any member is, not deprived when every member is known not to be, and unknown otherwise; an
unknown indicator lists the fields that would settle it. Nothing missing is ever counted as
"not deprived".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from shared.ages import completed_months
from shared.household import Household, Member
from shared.reasons import Args, Fact, Reason, Vocab
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
    Telecom,
    UninsuredMember,
    WorkingAgeEmployment,
)

Status = Literal["deprived", "not_deprived", "unknown"]


class Outcome(NamedTuple):
    status: Status
    reason: Reason
    missing: tuple[str, ...] = ()


class Context:
    """The household with its members' ages (in completed months) and the standard's shared
    parameters, computed once per household."""

    __slots__ = ("household", "members", "months", "parameters", "retire_female", "retire_male")

    def __init__(self, household: Household, parameters: Parameters) -> None:
        self.household = household
        self.parameters = parameters
        self.members = members = household.members
        on = household.reference_date
        months: list[int | None] = []
        for member in members:
            born = member.birth_date
            if born is None:
                born = member.born
            months.append(None if born is None else completed_months(born, on))
        self.months = months
        working = parameters.working_age
        self.retire_male = working.male.months_in(on.year)
        self.retire_female = working.female.months_in(on.year)

    def past_working_age(self, member: Member, months: int | None) -> bool | None:
        """Return whether the member has reached retirement age (None if it cannot be told)."""
        if months is None:
            return None
        sex = member.sex
        if sex == "male":
            return months >= self.retire_male
        if sex == "female":
            return months >= self.retire_female
        if months >= max(self.retire_male, self.retire_female):
            return True
        if months < min(self.retire_male, self.retire_female):
            return False
        return None


def _years(months: int | None) -> int | None:
    return None if months is None else months // 12


def _unknown(missing: list[str]) -> Outcome:
    return Outcome("unknown", Reason("unknown", (("missing", ", ".join(missing)),)), tuple(missing))


@lru_cache(maxsize=256)
def _fixed(status: Status, key: str, args: Args = ()) -> Outcome:
    """Return the shared outcome for a reason that does not depend on the household."""
    return Outcome(status, Reason(key, args))


def _verdict(facts: list[Fact] | None, missing: list[str] | None, ok: Outcome) -> Outcome:
    """Combine member results: deprived if any member is, unknown if any cannot be told."""
    if facts:
        return Outcome("deprived", Reason("members_deprived", facts=tuple(facts)))
    if missing:
        return _unknown(missing)
    return ok


def working_age_employment(rule: WorkingAgeEmployment, ctx: Context) -> Outcome:
    statuses = rule.deprived_statuses
    youngest = ctx.parameters.working_age.min_years * 12
    facts: list[Fact] | None = None
    missing: list[str] | None = None
    for index, member in enumerate(ctx.members):
        employment = member.employment
        if employment is not None and employment not in statuses:
            continue
        months = ctx.months[index]
        if months is not None and months < youngest:
            continue
        past = ctx.past_working_age(member, months)
        if past:
            continue
        if past is None or employment is None:
            missing = missing or []
            path = f"members[{index}]"
            if months is None:
                missing.append(f"{path}.birth_date")
            elif past is None:
                missing.append(f"{path}.sex")
            if employment is None:
                missing.append(f"{path}.employment")
            continue
        facts = facts or []
        facts.append(
            Fact(member.member_id, _years(months), "employment", (("status", Vocab(employment)),))
        )
    return _verdict(facts, missing, _fixed("not_deprived", "employment.ok"))


def _is_dependent(member: Member, months: int | None, ctx: Context) -> bool | None:
    definition = ctx.parameters.dependent
    if member.disability is not None and member.disability in definition.disabilities:
        return True
    if months is not None and months < definition.under_years * 12:
        return True
    past: bool | None = False
    if definition.past_working_age_without_pension:
        past = ctx.past_working_age(member, months)
        if past and member.pension is False:
            return True
        if past and member.pension is None:
            return None
    if months is None or past is None or member.disability is None:
        return None
    return False


def dependent_share(rule: DependentShare, ctx: Context) -> Outcome:
    members = len(ctx.members)
    sure = 0
    maybe: list[str] = []
    for index, member in enumerate(ctx.members):
        dependent = _is_dependent(member, ctx.months[index], ctx)
        if dependent:
            sure += 1
        elif dependent is None:
            maybe.append(f"members[{index}].(birth_date|sex|pension|disability)")
    numerator, denominator = rule.share_ratio
    args = (("members", members), ("share", rule.share_percent), ("dependents", sure))
    # More than the share deprives; exactly the share does not. Compared in whole numbers.
    if sure * denominator > numerator * members:
        return Outcome("deprived", Reason("dependents.deprived", args))
    if (sure + len(maybe)) * denominator <= numerator * members:
        return Outcome("not_deprived", Reason("dependents.ok", args))
    return _unknown(maybe)


def child_nutrition(rule: ChildNutrition, ctx: Context) -> Outcome:
    limit = rule.under_years * 12
    facts: list[Fact] | None = None
    missing: list[str] | None = None
    for index, member in enumerate(ctx.members):
        months = ctx.months[index]
        if months is not None and months >= limit:
            continue
        stunted, underweight = member.stunted, member.underweight
        if stunted is False and underweight is False:
            continue
        path = f"members[{index}]"
        if (stunted or underweight) and months is not None:
            facts = facts or []
            key = "stunted" if stunted else "underweight"
            facts.append(Fact(member.member_id, _years(months), key))
            continue
        missing = missing or []
        if months is None:
            missing.append(f"{path}.birth_date")
        missing.extend(
            f"{path}.{name}"
            for name, value in (("stunted", stunted), ("underweight", underweight))
            if value is None
        )
    ok = _fixed("not_deprived", "nutrition.ok", (("under", rule.under_years),))
    return _verdict(facts, missing, ok)


def uninsured_member(rule: UninsuredMember, ctx: Context) -> Outcome:
    limit = rule.min_years * 12
    facts: list[Fact] | None = None
    missing: list[str] | None = None
    for index, member in enumerate(ctx.members):
        insured = member.health_insurance
        if insured:
            continue
        months = ctx.months[index]
        if months is not None and months < limit:
            continue
        if insured is None or months is None:
            missing = missing or []
            field = "health_insurance" if insured is None else "birth_date"
            missing.append(f"members[{index}].{field}")
            continue
        facts = facts or []
        facts.append(Fact(member.member_id, _years(months), "uninsured"))
    ok = _fixed("not_deprived", "health_insurance.ok", (("min_age", rule.min_years),))
    return _verdict(facts, missing, ok)


def adult_education(rule: AdultEducation, ctx: Context) -> Outcome:
    bands = rule.bands
    low = min(band.min_years for band in bands)
    high = max(band.max_years for band in bands)
    facts: list[Fact] | None = None
    missing: list[str] | None = None
    for index, member in enumerate(ctx.members):
        if member.in_school:
            continue
        months = ctx.months[index]
        if months is None:
            missing = missing or []
            missing.append(f"members[{index}].birth_date")
            continue
        years = months // 12
        if years < low or years > high:
            continue
        education = member.education
        band = next((b for b in bands if b.min_years <= years <= b.max_years), None)
        if band is None or (education is not None and education in band.accepted):
            continue
        if education is None or member.in_school is None:
            missing = missing or []
            path = f"members[{index}]"
            if member.in_school is None:
                missing.append(f"{path}.in_school")
            if education is None:
                missing.append(f"{path}.education")
            continue
        facts = facts or []
        facts.append(
            Fact(member.member_id, years, "lacks_education", (("education", Vocab(education)),))
        )
    return _verdict(facts, missing, _fixed("not_deprived", "adult_education.ok"))


def child_schooling(rule: ChildSchooling, ctx: Context) -> Outcome:
    on = ctx.household.reference_date
    start_year = on.year if on.month >= rule.school_year_start_month else on.year - 1
    expected = rule.expected_rank
    facts: list[Fact] | None = None
    missing: list[str] | None = None
    for index, member in enumerate(ctx.members):
        born = member.born
        if born is None:
            missing = missing or []
            missing.append(f"members[{index}].birth_date")
            continue
        minimum = expected.get(start_year - born.year)
        if minimum is None:
            continue
        level = member.school_level
        if level is not None:
            if rule.level_rank[level] >= minimum:
                continue
            fact = Fact(
                member.member_id, _years(ctx.months[index]), "behind", (("level", Vocab(level)),)
            )
        elif member.in_school is False:
            fact = Fact(member.member_id, _years(ctx.months[index]), "not_attending")
        else:
            missing = missing or []
            missing.append(f"members[{index}].school_level")
            continue
        facts = facts or []
        facts.append(fact)
    return _verdict(facts, missing, _fixed("not_deprived", "child_schooling.ok"))


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
    args = (
        ("count", len(weak)),
        ("limit", limit),
        ("parts", tuple((Vocab(name), Vocab(value)) for name, value in weak)),
    )
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
    members = len(ctx.members)
    args = (
        ("area", f"{area:g}"),
        ("members", members),
        ("per_member", f"{area / members:.1f}"),
        ("limit", f"{rule.min_m2:g}"),
    )
    if area < rule.min_m2 * members:
        return Outcome("deprived", Reason("housing_area.deprived", args))
    return Outcome("not_deprived", Reason("housing_area.ok", args))


def household_choice(rule: HouseholdChoice, ctx: Context) -> Outcome:
    value: str | None = getattr(ctx.household, rule.field)
    if value is None:
        return _unknown([rule.field])
    args = (("field", Vocab(rule.field)), ("value", Vocab(value)))
    if value in rule.acceptable:
        return _fixed("not_deprived", "choice.ok", args)
    return _fixed("deprived", "choice.deprived", args)


def telecom(rule: Telecom, ctx: Context) -> Outcome:
    household = ctx.household
    if household.internet_access:
        return _fixed("not_deprived", "telecom.internet")
    missing = [] if household.internet_access is False else ["internet_access"]
    for index, member in enumerate(ctx.members):
        phone = member.phone_subscription
        if phone:
            return _fixed("not_deprived", "telecom.phone", (("member_id", member.member_id),))
        if phone is None:
            missing.append(f"members[{index}].phone_subscription")
    if missing:
        return _unknown(missing)
    return _fixed("deprived", "telecom.deprived")


def information_access(rule: InformationAccess, ctx: Context) -> Outcome:
    household = ctx.household
    devices = household.information_devices
    if devices:
        owned = [device for device in devices if device in rule.devices]
        if owned:
            names = tuple(Vocab(device) for device in owned)
            return _fixed("not_deprived", "information_access.device", (("devices", names),))
    if household.hears_loudspeaker:
        return _fixed("not_deprived", "information_access.loudspeaker")
    missing = [] if devices is not None else ["information_devices"]
    if household.hears_loudspeaker is None:
        missing.append("hears_loudspeaker")
    if missing:
        return _unknown(missing)
    return _fixed("deprived", "information_access.deprived")


def member_uses_internet(rule: MemberUsesInternet, ctx: Context) -> Outcome:
    missing: list[str] = []
    for index, member in enumerate(ctx.members):
        uses = member.uses_internet
        if uses:
            return _fixed("not_deprived", "digital_services.ok", (("member_id", member.member_id),))
        if uses is None:
            missing.append(f"members[{index}].uses_internet")
    if missing:
        return _unknown(missing)
    return _fixed("deprived", "digital_services.deprived")


Evaluator = Callable[[Any, Context], Outcome]

EVALUATORS: dict[type[Any], Evaluator] = {
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
