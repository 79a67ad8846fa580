"""Every table, imported in dependency order so the metadata is complete (Alembic, tests)."""

from server.audit.models import AuditEntry
from server.auth.models import Device, User, UserHamlet
from server.db import Base
from server.geography.models import Commune, Hamlet, Province
from server.households.models import Classification, Household, HouseholdYear, Member
from server.surveys.models import Submission

__all__ = [
    "AuditEntry",
    "Base",
    "Classification",
    "Commune",
    "Device",
    "Hamlet",
    "Household",
    "HouseholdYear",
    "Member",
    "Province",
    "Submission",
    "User",
    "UserHamlet",
]
