"""How each kind of indicator rule tests a household.

Every test is three-valued: a member or a household is deprived (True), not deprived (False)
or cannot be assessed from what was recorded (None). An indicator over members is deprived when
any member is, not deprived when every member is known not to be, and unknown otherwise; an
unknown indicator lists the fields that would settle it. Nothing missing is ever counted as
"not deprived".

Each kind of rule has one function here that reads the rule's parameters once per standard and
returns the evaluator for that rule: ``evaluate(household, ages) -> Outcome``. Reading them
once matters because a review classifies millions of households under the same few standards:
the parameters become plain ints, dicts and frozensets held by the evaluator instead of
attribute chains through the standard's models and lists searched per member.

Outcomes that do not depend on who the household is (every household with a septic tank gets
the same latrine verdict) are created once and shared, so a household that is not deprived
allocates nothing and each shared reason is rendered to an entry once per language.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Literal, TypeVar

from shared.errors import Lang
from shared.household import Household, Member
from shared.reasons import Args, Fact, Reason, Vocab, render
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
    WorkingAge,
    WorkingAgeEmployment,
)

Status = Literal["deprived", "not_deprived", "unknown"]

Ages = list[int | None]
"""Each member's age in completed months on the reference date (None if not recorded), in
roster order: the one fact almost every rule needs, computed once per household."""

Evaluate = Callable[[Household, Ages], "Outcome"]


class Outcome:
    """An indicator's status and the reason for it.

    The entry of a result document is kept per language: a shared outcome is rendered once
    for all the households it applies to instead of once per household. Entries are
    therefore shared between result documents and must be treated as read-only.
    """

    __slots__ = ("entries", "missing", "reason", "status")

    def __init__(self, status: Status, reason: Reason, missing: tuple[str, ...] = ()) -> None:
        self.status = status
        self.reason = reason
        self.missing = missing
        self.entries: dict[Lang, dict[str, Any]] = {}

    def text(self, lang: Lang) -> str:
        """Return the reason as one sentence in ``lang``."""
        text: str = self.entry(lang)["reason"]
        return text

    def entry(self, lang: Lang) -> dict[str, Any]:
        """Return the indicator's entry in a result document, reason in ``lang``."""
        entry = self.entries.get(lang)
        if entry is None:
            entry = {"status": self.status, "reason": render(self.reason, lang)}
            if self.missing:
                entry["missing"] = list(self.missing)
            self.entries[lang] = entry
        return entry


def member_ages(household: Household) -> Ages:
    """Return each member's age in completed months on the reference date (0 if born later
    in the month; a birth year alone counts from 1 July), None when no birth is recorded."""
    on = household.reference_date
    # Whole months lived, with the reference date's part hoisted out of the member loop.
    now = on.year * 12 + on.month
    day = on.day
    ages: Ages = []
    for member in household.members:
        born = member.birth_date
        if born is not None:
            months = now - born.year * 12 - born.month - (day < born.day)
        elif member.birth_year is not None:
            months = now - member.birth_year * 12 - 7  # 1 July: no day of a month is earlier
        else:
            ages.append(None)
            continue
        ages.append(months if months > 0 else 0)
    return ages


_CACHE_LIMIT = 4096

K = TypeVar("K", bound=Hashable)


def _remember(cache: dict[K, Outcome], key: K, outcome: Outcome) -> Outcome:
    """Store ``outcome`` under ``key`` and return it.

    Some keys come from household data (member ids, floor areas), so a cache is emptied when
    it reaches its limit rather than growing for as long as a server runs.
    """
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = outcome
    return outcome


def _unknown(missing: list[str]) -> Outcome:
    return Outcome("unknown", Reason("unknown", (("missing", ", ".join(missing)),)), tuple(missing))


def _fixed(status: Status, key: str, args: Args = ()) -> Outcome:
    """Return an outcome whose reason does not depend on the household, to be shared."""
    return Outcome(status, Reason(key, args))


FactKey = tuple[str, int | None, str, tuple[tuple[str, str], ...]]
"""A member fact as plain values: member id, age in years, the fact, and its arguments (all
vocabulary values). Deprived outcomes are shared by the facts they name: the same few
members' facts recur across households (member 2, aged 34, uninsured), so the outcome, its
reason and its rendered entries are made once rather than per household."""

Deprived = dict[tuple[FactKey, ...], "Outcome"]


def _verdict(
    facts: list[FactKey] | None, missing: list[str] | None, ok: Outcome, deprived: Deprived
) -> Outcome:
    """Combine member results: deprived if any member is, unknown if any cannot be told."""
    if facts:
        key = tuple(facts)
        outcome = deprived.get(key)
        if outcome is None:
            named = tuple(
                Fact(member_id, age, fact, tuple((name, Vocab(value)) for name, value in args))
                for member_id, age, fact, args in key
            )
            outcome = _remember(
                deprived, key, Outcome("deprived", Reason("members_deprived", facts=named))
            )
        return outcome
    if missing:
        return _unknown(missing)
    return ok


def _years(months: int | None) -> int | None:
    return None if months is None else months // 12


Limits = tuple[int, int, int, int]
"""Retirement ages in months for one reference year: men and women in that year, then men and
women in the year before."""


class RetirementAges:
    """The retirement ages in months of men and women in a reference year and the year
    before, worked out once per year rather than once per member."""

    __slots__ = ("_by_year", "_working")

    def __init__(self, working: WorkingAge) -> None:
        self._working = working
        self._by_year: dict[int, Limits] = {}

    def __call__(self, year: int) -> Limits:
        """Return the retirement ages (men, women, men a year before, women a year before)
        in months for reviews in ``year``."""
        ages = self._by_year.get(year)
        if ages is None:
            working = self._working
            ages = self._by_year[year] = (
                working.male.months_in(year),
                working.female.months_in(year),
                working.male.months_in(year - 1),
                working.female.months_in(year - 1),
            )
        return ages


def _retired(member: Member, months: int, now: int, before: int, year: int) -> bool:
    """Return whether a member aged ``months`` in ``year`` has retired, the retirement age
    being ``now`` months this year and ``before`` months the year before.

    Decree 135/2020 Appendix I fixes the retirement age by birth month: a person retires on
    the first day their age reaches the age of that day's year, and stays retired. The age
    rises by less than a year a year, so whoever had reached last year's age by 31 December
    had reached every earlier year's age too: this year and last year decide.
    """
    if months >= now:
        return True
    if months < before:
        return False
    born = member.birth_date
    if born is not None:
        birth_year, birth_month = born.year, born.month
    else:
        # Only a recorded birth year gives an age (member_ages): counted from 1 July.
        birth_year, birth_month = member.birth_year or 0, 7
    # Completed months on 31 December of the year before: no day of a month is later.
    return (year - birth_year) * 12 - birth_month >= before


def _past_working_age(member: Member, months: int | None, limits: Limits, year: int) -> bool | None:
    """Return whether the member has reached retirement age (None if it cannot be told)."""
    if months is None:
        return None
    male, female, male_before, female_before = limits
    sex = member.sex
    if sex == "male":
        return _retired(member, months, male, male_before, year)
    if sex == "female":
        return _retired(member, months, female, female_before, year)
    as_man = _retired(member, months, male, male_before, year)
    if as_man == _retired(member, months, female, female_before, year):
        return as_man
    return None


def working_age_employment(rule: WorkingAgeEmployment, parameters: Parameters) -> Evaluate:
    statuses = frozenset(rule.deprived_statuses)
    youngest = parameters.working_age.min_years * 12
    retirement = RetirementAges(parameters.working_age)
    ok = _fixed("not_deprived", "employment.ok")
    deprived: Deprived = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        facts: list[FactKey] | None = None
        missing: list[str] | None = None
        for index, member in enumerate(household.members):
            employment = member.employment
            if employment is not None and employment not in statuses:
                continue
            months = ages[index]
            if months is not None and months < youngest:
                continue
            year = household.reference_date.year
            past = _past_working_age(member, months, retirement(year), year)
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
                (member.member_id, _years(months), "employment", (("status", employment),))
            )
        if facts is None and missing is None:
            return ok
        return _verdict(facts, missing, ok, deprived)

    return evaluate


def dependent_share(rule: DependentShare, parameters: Parameters) -> Evaluate:
    definition = parameters.dependent
    disabilities = frozenset(definition.disabilities)
    under = definition.under_years * 12
    without_pension = definition.past_working_age_without_pension
    retirement = RetirementAges(parameters.working_age)
    numerator, denominator = rule.share_ratio
    share = rule.share_percent
    # By (dependents, members): the verdict and its reason depend on nothing else.
    known: dict[tuple[int, int], Outcome] = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        year = household.reference_date.year
        limits = retirement(year)
        male, female, male_before, female_before = limits
        sure = 0
        uncertain = 0
        maybe: list[str] | None = None
        for index, member in enumerate(household.members):
            months = ages[index]
            disability = member.disability
            if disability in disabilities or (months is not None and months < under):
                sure += 1
                continue
            past: bool | None = False
            unsexed = False
            if without_pension and months is not None:
                # _past_working_age, inlined for the common case: this loop runs for every
                # member of every household.
                sex = member.sex
                if sex == "male":
                    past = _retired(member, months, male, male_before, year)
                elif sex == "female":
                    past = _retired(member, months, female, female_before, year)
                else:
                    past = _past_working_age(member, months, limits, year)
                    unsexed = past is None
                if past:
                    pension = member.pension
                    if pension is False:
                        sure += 1
                        continue
                    if pension is None:
                        past = None
            if months is None or past is None or disability is None:
                uncertain += 1
                maybe = maybe or []
                path = f"members[{index}]"
                # Each fact that would settle whether the member is a dependent, once.
                if months is None:
                    maybe.append(f"{path}.birth_date")
                if unsexed:
                    maybe.append(f"{path}.sex")
                if without_pension and member.pension is None and (months is None or past is None):
                    maybe.append(f"{path}.pension")
                if disability is None:
                    maybe.append(f"{path}.disability")
        members = len(household.members)
        # More than the share deprives; exactly the share does not. Compared in whole numbers.
        if (
            maybe
            and sure * denominator <= numerator * members
            and (sure + uncertain) * denominator > numerator * members
        ):
            return _unknown(maybe)
        outcome = known.get((sure, members))
        if outcome is None:
            args = (("members", members), ("share", share), ("dependents", sure))
            if sure * denominator > numerator * members:
                outcome = Outcome("deprived", Reason("dependents.deprived", args))
            else:
                outcome = Outcome("not_deprived", Reason("dependents.ok", args))
            _remember(known, (sure, members), outcome)
        return outcome

    return evaluate


def child_nutrition(rule: ChildNutrition, parameters: Parameters) -> Evaluate:
    limit = rule.under_years * 12
    ok = _fixed("not_deprived", "nutrition.ok", (("under", rule.under_years),))
    deprived: Deprived = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        facts: list[FactKey] | None = None
        missing: list[str] | None = None
        for index, member in enumerate(household.members):
            months = ages[index]
            if months is not None and months >= limit:
                continue
            stunted, underweight = member.stunted, member.underweight
            if stunted is False and underweight is False:
                continue
            path = f"members[{index}]"
            if (stunted or underweight) and months is not None:
                facts = facts or []
                key = "stunted" if stunted else "underweight"
                facts.append((member.member_id, months // 12, key, ()))
                continue
            missing = missing or []
            if months is None:
                missing.append(f"{path}.birth_date")
            missing.extend(
                f"{path}.{name}"
                for name, value in (("stunted", stunted), ("underweight", underweight))
                if value is None
            )
        if facts is None and missing is None:
            return ok
        return _verdict(facts, missing, ok, deprived)

    return evaluate


def uninsured_member(rule: UninsuredMember, parameters: Parameters) -> Evaluate:
    limit = rule.min_years * 12
    ok = _fixed("not_deprived", "health_insurance.ok", (("min_age", rule.min_years),))
    deprived: Deprived = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        facts: list[FactKey] | None = None
        missing: list[str] | None = None
        for index, member in enumerate(household.members):
            insured = member.health_insurance
            if insured:
                continue
            months = ages[index]
            if months is not None and months < limit:
                continue
            if insured is None or months is None:
                missing = missing or []
                field = "health_insurance" if insured is None else "birth_date"
                missing.append(f"members[{index}].{field}")
                continue
            facts = facts or []
            facts.append((member.member_id, months // 12, "uninsured", ()))
        if facts is None and missing is None:
            return ok
        return _verdict(facts, missing, ok, deprived)

    return evaluate


def adult_education(rule: AdultEducation, parameters: Parameters) -> Evaluate:
    # The accepted qualifications by age in whole years; the first band that covers an age
    # decides, and an age no band covers is not assessed.
    accepted_at: dict[int, frozenset[str]] = {}
    for band in rule.bands:
        for years in range(band.min_years, band.max_years + 1):
            accepted_at.setdefault(years, frozenset(band.accepted))
    # A qualification every band accepts settles the member whatever their age: an adult with
    # upper-secondary education and no birth date cannot be deprived (unknown only when it
    # matters).
    always = frozenset.intersection(*accepted_at.values()) if accepted_at else frozenset()
    ok = _fixed("not_deprived", "adult_education.ok")
    deprived: Deprived = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        facts: list[FactKey] | None = None
        missing: list[str] | None = None
        for index, member in enumerate(household.members):
            in_school = member.in_school
            if in_school:
                continue
            education = member.education
            if education is not None and education in always:
                continue
            months = ages[index]
            accepted = None if months is None else accepted_at.get(months // 12)
            if months is not None and (
                accepted is None or (education is not None and education in accepted)
            ):
                continue
            if months is None or education is None or in_school is None:
                missing = missing or []
                path = f"members[{index}]"
                if months is None:
                    missing.append(f"{path}.birth_date")
                if in_school is None:
                    missing.append(f"{path}.in_school")
                if education is None:
                    missing.append(f"{path}.education")
                continue
            facts = facts or []
            facts.append(
                (member.member_id, months // 12, "lacks_education", (("education", education),))
            )
        if facts is None and missing is None:
            return ok
        return _verdict(facts, missing, ok, deprived)

    return evaluate


def child_schooling(rule: ChildSchooling, parameters: Parameters) -> Evaluate:
    start_month = rule.school_year_start_month
    expected = dict(rule.expected_rank)
    level_rank = rule.level_rank
    # In scope by completed years on the reference date (Decree 07/2021 annex: "từ 3 tuổi
    # đến dưới 16 tuổi"); the level expected goes by the age at the start of the school year,
    # which can lie a year outside the scope's ages: below the first band the first band's
    # level is expected, above the last the last band's ("15 or more").
    youngest = rule.min_years * 12
    under = rule.under_years * 12
    first_age = min(expected, default=0)
    last_age = max(expected, default=0)
    # A level at or above every band's settles a child whose age is not recorded.
    enough = max(expected.values(), default=0)
    ok = _fixed("not_deprived", "child_schooling.ok")
    deprived: Deprived = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        on = household.reference_date
        start_year = on.year if on.month >= start_month else on.year - 1
        facts: list[FactKey] | None = None
        missing: list[str] | None = None
        for index, member in enumerate(household.members):
            months = ages[index]
            if months is not None and not youngest <= months < under:
                continue
            level = member.school_level
            if months is None:
                if level is not None and level_rank[level] >= enough:
                    continue
                missing = missing or []
                missing.append(f"members[{index}].birth_date")
                continue
            # School age counts from the birth year alone: the start year of the school year
            # minus the birth year (member_ages has given an age, so one of them is recorded).
            born = member.birth_date
            birth_year = born.year if born is not None else member.birth_year or 0
            school_age = min(max(start_year - birth_year, first_age), last_age)
            minimum = expected[school_age]
            if level is not None:
                if level_rank[level] >= minimum:
                    continue
                fact: FactKey = (member.member_id, months // 12, "behind", (("level", level),))
            elif member.in_school is False:
                fact = (member.member_id, months // 12, "not_attending", ())
            else:
                missing = missing or []
                missing.append(f"members[{index}].school_level")
                continue
            facts = facts or []
            facts.append(fact)
        if facts is None and missing is None:
            return ok
        return _verdict(facts, missing, ok, deprived)

    return evaluate


def housing_materials(rule: HousingMaterials, parameters: Parameters) -> Evaluate:
    materials_of = rule.durable
    durable = (
        ("walls", frozenset(materials_of.walls)),
        ("frame", frozenset(materials_of.frame)),
        ("roof", frozenset(materials_of.roof)),
    )
    limit = rule.min_non_durable_parts
    # By (walls, frame, roof): a few hundred combinations at most.
    by_materials: dict[tuple[str | None, str | None, str | None], Outcome] = {}

    def assess(materials: tuple[str | None, str | None, str | None]) -> Outcome:
        parts = [
            (name, value, good) for (name, good), value in zip(durable, materials, strict=True)
        ]
        weak = [
            (name, value) for name, value, good in parts if value is not None and value not in good
        ]
        missing = [f"housing.{name}" for name, value, _ in parts if value is None]
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

    def evaluate(household: Household, ages: Ages) -> Outcome:
        housing = household.housing
        materials = (
            (None, None, None) if housing is None else (housing.walls, housing.frame, housing.roof)
        )
        outcome = by_materials.get(materials)
        if outcome is None:
            outcome = _remember(by_materials, materials, assess(materials))
        return outcome

    return evaluate


def floor_area_per_member(rule: FloorAreaPerMember, parameters: Parameters) -> Evaluate:
    minimum = rule.min_m2
    limit = f"{minimum:g}"
    unrecorded = _unknown(["housing.floor_area_m2"])
    # By (floor area, members): formatting the figures costs more than the test itself.
    by_area: dict[tuple[float, int], Outcome] = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        housing = household.housing
        area = None if housing is None else housing.floor_area_m2
        if area is None:
            return unrecorded
        members = len(household.members)
        outcome = by_area.get((area, members))
        if outcome is None:
            args = (
                ("area", float(area)),
                ("members", members),
                ("per_member", area / members),
                ("limit", limit),
            )
            if area < minimum * members:
                outcome = Outcome("deprived", Reason("housing_area.deprived", args))
            else:
                outcome = Outcome("not_deprived", Reason("housing_area.ok", args))
            _remember(by_area, (area, members), outcome)
        return outcome

    return evaluate


def household_choice(rule: HouseholdChoice, parameters: Parameters) -> Evaluate:
    field = rule.field
    acceptable = frozenset(rule.acceptable)
    unrecorded = _unknown([field])
    by_value: dict[str, Outcome] = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        value: str | None = getattr(household, field)
        if value is None:
            return unrecorded
        outcome = by_value.get(value)
        if outcome is None:
            args = (("field", Vocab(field)), ("value", Vocab(value)))
            if value in acceptable:
                outcome = _fixed("not_deprived", "choice.ok", args)
            else:
                outcome = _fixed("deprived", "choice.deprived", args)
            _remember(by_value, value, outcome)
        return outcome

    return evaluate


def _member_named(cache: dict[str, Outcome], key: str, member_id: str) -> Outcome:
    """Return the shared not-deprived outcome naming the member who settles the indicator."""
    outcome = cache.get(member_id)
    if outcome is None:
        outcome = _remember(
            cache, member_id, _fixed("not_deprived", key, (("member_id", member_id),))
        )
    return outcome


def telecom(rule: Telecom, parameters: Parameters) -> Evaluate:
    internet = _fixed("not_deprived", "telecom.internet")
    deprived = _fixed("deprived", "telecom.deprived")
    by_member: dict[str, Outcome] = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        if household.internet_access:
            return internet
        missing = [] if household.internet_access is False else ["internet_access"]
        for index, member in enumerate(household.members):
            phone = member.phone_subscription
            if phone:
                return _member_named(by_member, "telecom.phone", member.member_id)
            if phone is None:
                missing.append(f"members[{index}].phone_subscription")
        if missing:
            return _unknown(missing)
        return deprived

    return evaluate


def information_access(rule: InformationAccess, parameters: Parameters) -> Evaluate:
    accepted = frozenset(rule.devices)
    loudspeaker = _fixed("not_deprived", "information_access.loudspeaker")
    deprived = _fixed("deprived", "information_access.deprived")
    # By the devices as listed: the outcome naming the accepted ones, or None if there are none.
    by_devices: dict[tuple[str, ...], Outcome | None] = {}

    def owning(devices: tuple[str, ...]) -> Outcome | None:
        owned = tuple(Vocab(device) for device in devices if device in accepted)
        if not owned:
            return None
        return _fixed("not_deprived", "information_access.device", (("devices", owned),))

    def evaluate(household: Household, ages: Ages) -> Outcome:
        devices = household.information_devices
        if devices:
            key = tuple(devices)
            if key in by_devices:
                outcome = by_devices[key]
            else:
                outcome = by_devices[key] = owning(key)
                if len(by_devices) > _CACHE_LIMIT:
                    by_devices.clear()
            if outcome is not None:
                return outcome
        hears = household.hears_loudspeaker
        if hears:
            return loudspeaker
        missing = [] if devices is not None else ["information_devices"]
        if hears is None:
            missing.append("hears_loudspeaker")
        if missing:
            return _unknown(missing)
        return deprived

    return evaluate


def member_uses_internet(rule: MemberUsesInternet, parameters: Parameters) -> Evaluate:
    deprived = _fixed("deprived", "digital_services.deprived")
    by_member: dict[str, Outcome] = {}

    def evaluate(household: Household, ages: Ages) -> Outcome:
        missing: list[str] = []
        for index, member in enumerate(household.members):
            uses = member.uses_internet
            if uses:
                return _member_named(by_member, "digital_services.ok", member.member_id)
            if uses is None:
                missing.append(f"members[{index}].uses_internet")
        if missing:
            return _unknown(missing)
        return deprived

    return evaluate


EVALUATORS: dict[type[Any], Callable[[Any, Parameters], Evaluate]] = {
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
"""For each kind of rule, the function that prepares the rule's evaluator."""
