"""What each paper says, as plain data: built by ``server.review.papers`` from the database,
drawn by ``server.documents.render``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Place:
    province: str
    commune: str
    hamlet: str | None = None


@dataclass(frozen=True)
class Line:
    """One household on a list."""

    code: str
    head_name: str
    address: str
    hamlet: str
    household_class: str
    change: str
    overridden: bool = False
    note: str = ""


@dataclass(frozen=True)
class VoteLine:
    line: Line
    agree: int
    attendees: int
    passed: bool


@dataclass(frozen=True)
class Minutes:
    place: Place
    year: int
    held_on: date
    chair_name: str
    secretary_name: str
    front_supervisor: str
    households_represented: int
    others_present: int
    votes: list[VoteLine]
    copies: tuple[str, ...] = ("Bản số 1: lưu tại thôn", "Bản số 2: gửi Ủy ban nhân dân xã")
    # The list's year and standard as one sentence (shared.standard.Standard.statement).
    standard: str = ""


@dataclass(frozen=True)
class Recheck:
    line: Line
    raised_on: date
    before: str
    after: str
    note: str


@dataclass(frozen=True)
class PostingList:
    """The list posted at a hamlet (``place.hamlet``) or at the commune office (no hamlet)."""

    place: Place
    year: int
    procedure: str
    starts_on: date
    ends_on: date
    lines: list[Line]
    rechecks: list[Recheck] = field(default_factory=list)
    standard: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Decision:
    """Form 02: the commune chair's decision recognising the lists."""

    place: Place
    year: int
    number: str
    decided_on: date
    procedure: str
    sections: list[Section]
    standard: str = ""
    # The standard's legal basis as the decision cites it ("Căn cứ …").
    citation: str = ""


@dataclass(frozen=True)
class Member:
    """One member as Forms 01, 03 and 04 list them, in words, never codes; "" where the
    registry has nothing recorded."""

    full_name: str
    birth_year: int | None
    relation: str
    ethnicity: str = ""
    national_id: str = ""
    # Permanent residence, and the current one after it when it differs.
    residence: str = ""
    activity: str = ""
    no_labour_capacity: str = ""
    social_allowance: str = ""
    revolutionary_merit: str = ""


@dataclass(frozen=True)
class Certificate:
    """Form 03: a poor or near-poor household's certificate for the year."""

    place: Place
    year: int
    number: str
    kind: str
    issued_on: date
    decision_number: str
    decided_on: date
    line: Line
    members: list[Member]
    standard: str = ""


@dataclass(frozen=True)
class Application:
    """Form 01 (to be reviewed or identified as poor or near-poor) or Form 04 (to be
    recognised as having left poverty): the household's application, filled from the
    registry for the household to check and sign."""

    place: Place
    year: int
    form: str
    line: Line
    members: list[Member]
    special_groups: list[str]
    poverty_causes: list[str]
    standard: str = ""
