"""Exiting poverty: registrations, helping officers, proposals and assignments, support plans
and visits.

A registration is one household's commitment to exit poverty in a year (Đăng ký thoát nghèo);
helping officers (cán bộ phụ trách) are assigned to it, from a proposal the commune officer
accepts or by hand; its support plan lists actions; visits record what was delivered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, Json, UtcDateTime, utcnow


class HelpingOfficer(Base):
    """Someone who can help households: commune staff or a mass-organisation member."""

    __tablename__ = "support_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    # The account whose tablet receives the officer's assignments, when the officer has one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(24))
    skills: Mapped[list[str]] = mapped_column(Json)
    # Empty: the whole commune.
    hamlet_ids: Mapped[list[int]] = mapped_column(Json)
    base_latitude: Mapped[float | None]
    base_longitude: Mapped[float | None]
    capacity: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ExitTarget(Base):
    """How many households a hamlet aims to help exit poverty in a year."""

    __tablename__ = "support_exit_targets"

    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    households: Mapped[int]


class ExitRegistration(Base):
    """A household registered to exit poverty in ``year``; the commune officer confirms it."""

    __tablename__ = "support_registrations"
    __table_args__ = (UniqueConstraint("household_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), index=True)
    year: Mapped[int]
    # registered → confirmed, or withdrawn.
    status: Mapped[str] = mapped_column(String(16))
    # The class it starts from: poor or near_poor.
    starting_class: Mapped[str] = mapped_column(String(16))
    causes: Mapped[list[str]] = mapped_column(Json)
    # Deprived indicators of the household's standing classification when registered.
    deprivations: Mapped[list[str]] = mapped_column(Json)
    # [{"help_type": ..., "detail": ..., "responsible": ...}]
    needs: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    officers_needed: Mapped[int] = mapped_column(default=1)
    target_date: Mapped[date] = mapped_column(Date)
    # The exit_registration form's answers, when it came from a tablet.
    survey_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    answers: Mapped[dict[str, Any] | None] = mapped_column(Json)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Proposal(Base):
    """The optimiser's proposal for a commune and year, with its parameters and reasons."""

    __tablename__ = "support_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    year: Mapped[int]
    # open → accepted, or superseded by a later proposal.
    status: Mapped[str] = mapped_column(String(16))
    weights: Mapped[dict[str, Any]] = mapped_column(Json)
    total_cost: Mapped[float]
    cost_terms: Mapped[dict[str, float]] = mapped_column(Json)
    # [{"registration_id", "household_id", "officer_id", "explanation"}]
    picks: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    unassigned: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    loads: Mapped[dict[str, int]] = mapped_column(Json)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Assignment(Base):
    """A helping officer assigned to a registered household. Ended rows stay as history."""

    __tablename__ = "support_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("support_registrations.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("support_officers.id"), index=True)
    # proposal (accepted as proposed), edited (accepted with changes) or override (by hand).
    source: Mapped[str] = mapped_column(String(16))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("support_proposals.id"))
    explanation: Mapped[dict[str, Any] | None] = mapped_column(Json)
    reason: Mapped[str | None] = mapped_column(String(250))
    active: Mapped[bool] = mapped_column(default=True)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PlanAction(Base):
    """One action of a household's support plan."""

    __tablename__ = "support_plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("support_registrations.id"), index=True)
    action: Mapped[str] = mapped_column(String(250))
    help_type: Mapped[str | None] = mapped_column(String(32))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("support_officers.id"))
    organisation: Mapped[str | None] = mapped_column(String(24))
    funding_source: Mapped[str] = mapped_column(String(32))
    planned_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    # planned → in_progress → done, or cancelled.
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Visit(Base):
    """A helping officer's visit, recorded with the support_visit form and photos."""

    __tablename__ = "support_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chosen by the tablet, so a retried upload is recognised instead of stored twice.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("support_registrations.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("support_officers.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    visit_date: Mapped[date] = mapped_column(Date)
    progress: Mapped[str] = mapped_column(String(16))
    total_value_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    answers: Mapped[dict[str, Any]] = mapped_column(Json)
    photos: Mapped[list[str]] = mapped_column(Json)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
