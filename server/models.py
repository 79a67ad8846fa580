"""Every table, imported in dependency order so the metadata is complete (Alembic, tests)."""

from server.audit.models import AuditEntry
from server.auth.models import Device, User, UserHamlet
from server.changes.models import Change
from server.classification.models import ScoreTableRow
from server.db import Base
from server.geography.models import Commune, Hamlet, HamletChange, Province
from server.households.models import (
    Classification,
    HamletMove,
    Household,
    HouseholdYear,
    Member,
)
from server.jobs.models import Job, JobFile
from server.reports.models import CommuneTarget, HamletTarget, ServiceTargetRow
from server.review.models import (
    Case,
    Comment,
    Complaint,
    Meeting,
    Posting,
    Round,
    SignOff,
    Transition,
    Vote,
)
from server.selfcheck.models import SelfCheckApplication
from server.support.models import (
    Assignment,
    ExitRegistration,
    ExitTarget,
    HelpingOfficer,
    PlanAction,
    Proposal,
    Visit,
)
from server.surveys.models import GeofenceFlag, Survey
from server.sync.models import Conflict, Photo, PushedRecord

__all__ = [
    "Assignment",
    "AuditEntry",
    "Base",
    "Case",
    "Change",
    "Classification",
    "Comment",
    "Commune",
    "CommuneTarget",
    "Complaint",
    "Conflict",
    "Device",
    "ExitRegistration",
    "ExitTarget",
    "GeofenceFlag",
    "Hamlet",
    "HamletChange",
    "HamletMove",
    "HamletTarget",
    "HelpingOfficer",
    "Household",
    "HouseholdYear",
    "Job",
    "JobFile",
    "Meeting",
    "Member",
    "Photo",
    "PlanAction",
    "Posting",
    "Proposal",
    "Province",
    "PushedRecord",
    "Round",
    "ScoreTableRow",
    "SelfCheckApplication",
    "ServiceTargetRow",
    "SignOff",
    "Survey",
    "Transition",
    "User",
    "UserHamlet",
    "Visit",
    "Vote",
]
