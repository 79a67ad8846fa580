"""Seed 002's list of the households registered to exit poverty and who helps each ("Danh
sách cán bộ, công chức phụ trách các hộ cụ thể", attached to the commune's plan): household,
hamlet, class, helping officers, their organisations, the forms of help and the progress,
in words. Read through the support domain's progress, so a reader sees the households of
the hamlets in their scope and the stages are the ones ``GET /support/…/progress`` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from server.auth.policy import Principal, ScopeKind
from server.documents import labels
from server.geography import repository as geography
from server.support import repository as support_repository
from server.support import service as support
from shared import vocabulary

CLASS_LABELS: dict[str, str] = {c: label["vi"] for c, label in vocabulary.CLASS_LABELS.items()}


@dataclass(frozen=True)
class HelpedHousehold:
    """One household of the list, every cell in words."""

    code: str
    head_name: str
    hamlet: str
    household_class: str
    officers: tuple[str, ...]
    organisations: tuple[str, ...]
    help: tuple[str, ...]
    progress: str


@dataclass(frozen=True)
class HelpingList:
    """The list for the commune's ``year``; ``hamlets`` names the hamlets a hamlet-scoped
    reader's list covers (empty: the whole commune)."""

    province: str
    commune: str
    year: int
    made_on: date
    hamlets: tuple[str, ...]
    lines: tuple[HelpedHousehold, ...]


def _progress(standing: support.Standing) -> str:
    """Return the stage in words, with how many of the deprivations the household registered
    with have been overcome, when its path counts any."""
    words = labels.stage(standing.stage, standing.registration.starting_class)
    path = standing.path
    counted = len(path.done) + len(path.remaining)
    if counted:
        words += f"; đã khắc phục {len(path.done)}/{counted} chỉ số thiếu hụt"
    return words


def helping_list(
    session: Session, principal: Principal, commune_id: int, year: int, made_on: date
) -> HelpingList:
    """Return the commune's helping-officer list of ``year`` for the households of the
    principal's hamlets (withdrawn registrations left out), by hamlet and household code.
    Raises OUT_OF_SCOPE for a commune outside the principal's scope."""
    found = support.progress(session, principal, commune_id, year)
    commune = geography.commune(session, commune_id)
    assert commune is not None
    standings = found.households
    hamlets = geography.hamlets_by_id(session, {s.registration.hamlet_id for s in standings})
    officers = support_repository.officers_by_id(
        session, {o for s in standings for o in s.officer_ids}
    )
    lines: list[tuple[int, HelpedHousehold]] = []
    for standing in standings:
        registration = standing.registration
        helping = [officers[o] for o in standing.officer_ids]
        lines.append(
            (
                registration.hamlet_id,
                HelpedHousehold(
                    code=standing.household.code,
                    head_name=standing.household.head_name,
                    hamlet=hamlets[registration.hamlet_id].name,
                    household_class=CLASS_LABELS.get(
                        registration.starting_class, registration.starting_class
                    ),
                    officers=tuple(o.full_name for o in helping),
                    organisations=tuple(
                        dict.fromkeys(labels.organisation(o.organisation) for o in helping)
                    ),
                    help=tuple(
                        labels.choice("forms_of_help", need.get("help_type"))
                        for need in registration.needs
                        if need.get("help_type")
                    ),
                    progress=_progress(standing),
                ),
            )
        )
    # In the commune's order of hamlets (as registered, the reports' hamlet table's order).
    lines.sort(key=lambda pair: (pair[0], pair[1].code))
    scoped: tuple[str, ...] = ()
    if principal.scope.kind is ScopeKind.HAMLETS:
        scoped = tuple(
            sorted(
                h.name
                for h in geography.hamlets_by_id(session, principal.scope.hamlet_ids).values()
            )
        )
    return HelpingList(
        commune.province.name, commune.name, year, made_on, scoped, tuple(line for _, line in lines)
    )
