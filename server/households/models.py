"""Households, their members, and their class per year as an append-only history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, Json, UtcDateTime, utcnow
from shared.errors import Lang
from shared.reasons import render_result

# A list a review may not have recorded: None stays SQL NULL ("not recorded"), unlike [] (the
# review found none), so reports can tell the two apart in SQL.
RecordedList = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class Household(Base):
    __tablename__ = "households"
    # Each commune numbers its own households: a code says nothing about other communes.
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    code: Mapped[str] = mapped_column(String(64), index=True)
    head_name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(255), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # Folded (no diacritics, lower case) names of the head and every member, " | "-separated.
    names_folded: Mapped[str] = mapped_column(String(4000), default="")
    # The latest review's answers (shared.household's SpecialGroup and PovertyCause codes);
    # None when no review recorded them, [] when it found none.
    special_groups: Mapped[list[str] | None] = mapped_column(RecordedList)
    poverty_causes: Mapped[list[str] | None] = mapped_column(RecordedList)
    poverty_cause_other: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    members: Mapped[list[Member]] = relationship(
        cascade="all, delete-orphan", order_by="Member.position", lazy="selectin"
    )


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("household_id", "member_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    member_no: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    full_name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    relation: Mapped[str | None] = mapped_column(String(16))
    national_id: Mapped[str | None] = mapped_column(String(12))
    # The facts Decision 24/2021's forms ask for (shared.household.Member, docs/standard.md);
    # None is "not recorded".
    national_id_issued_on: Mapped[date | None]
    national_id_issued_by: Mapped[str | None] = mapped_column(String(250))
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    permanent_residence: Mapped[str | None] = mapped_column(String(250))
    current_residence: Mapped[str | None] = mapped_column(String(250))
    activity: Mapped[str | None] = mapped_column(String(16))
    no_labour_capacity: Mapped[bool | None]
    monthly_social_allowance_vnd: Mapped[int | None] = mapped_column(BigInteger)
    revolutionary_merit: Mapped[bool | None]


class Classification(Base):
    """One classification of a household for a year. Rows are only ever added: a later
    survey of the same year adds a row and moves ``HouseholdYear`` to it."""

    __tablename__ = "classifications"
    __table_args__ = (Index("ix_classifications_household_year", "household_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    year: Mapped[int]
    household_class: Mapped[str] = mapped_column(String(16))
    standard_id: Mapped[str] = mapped_column(String(32))
    complete: Mapped[bool]
    deprived: Mapped[list[str]] = mapped_column(Json)
    # The engine's result in no language (``shared.engine.Classification.facts``), rendered
    # when read (``rendered``); a row the commune's decision adds (source "decision") also
    # carries "decision" (round, case, engine class, override), and holds only that when the
    # case had no classification to copy.
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    source: Mapped[str] = mapped_column(String(16))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def rendered(self, lang: Lang) -> dict[str, Any]:
        """Return the engine's result document with its reasons in ``lang``; for a class
        decided with no survey behind it (a recognised average-living household) there is
        none, so the class, the standard and the decision."""
        facts = {key: value for key, value in self.result.items() if key != "decision"}
        if not facts:
            return {
                "household_class": self.household_class,
                "standard_id": self.standard_id,
                "decision": self.result.get("decision"),
            }
        return render_result(facts, lang)


class HouseholdYear(Base):
    """The class that stands for a household in a year: the latest classification of it."""

    __tablename__ = "household_years"
    __table_args__ = (Index("ix_household_years_year_class", "year", "household_class"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    household_class: Mapped[str] = mapped_column(String(16))
    classification_id: Mapped[int] = mapped_column(ForeignKey("classifications.id"))


class HamletMove(Base):
    """A household moved to another hamlet from ``effective_on`` by a merge of hamlets: its
    years before that date stay counted in ``from_hamlet_id`` (``repository.hamlet_in_year``)."""

    __tablename__ = "household_hamlet_moves"
    __table_args__ = (Index("ix_household_hamlet_moves_household", "household_id", "effective_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    from_hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    to_hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    change_id: Mapped[int] = mapped_column(ForeignKey("hamlet_changes.id"), index=True)
    effective_on: Mapped[date]
