"""The content of the round's papers, read from the database within the principal's scope
(the PDF drawing is ``server.documents.render``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from server.auth.policy import Permission, Principal, require_place
from server.documents import content, labels
from server.geography import repository as geography
from server.households import repository as registry
from server.households.models import Household, Member
from server.households.service import mask_national_id
from server.review import repository, service
from server.review.models import Case, Posting, Round
from shared.errors import ErrorCode, RasoatError
from shared.review.procedures import PostingPlace
from shared.vocabulary import CHANGE_LABELS, ON_LISTS, Change


def _money(vnd: int | None) -> str:
    return "" if vnd is None else f"{vnd:,}".replace(",", ".") + " đ"


def _residence(member: Member) -> str:
    places = [member.permanent_residence, member.current_residence]
    return "; ".join(dict.fromkeys(p for p in places if p))


def paper_members(household: Household, show_ids: bool) -> list[content.Member]:
    """Return the household's members as the papers list them; the identity number masked
    unless the reader's role needs it, as in the registry."""
    return [
        content.Member(
            full_name=m.full_name,
            birth_year=m.birth_date.year if m.birth_date else None,
            relation=labels.choice("relation", m.relation),
            ethnicity=labels.ethnicity(m.ethnicity),
            national_id=(m.national_id if show_ids else mask_national_id(m.national_id)) or "",
            residence=_residence(m),
            activity=labels.activity(m.activity),
            no_labour_capacity=labels.yes(m.no_labour_capacity),
            social_allowance=_money(m.monthly_social_allowance_vnd),
            revolutionary_merit=labels.yes(m.revolutionary_merit),
        )
        for m in household.members
    ]


def application(session: Session, principal: Principal, case_id: int) -> content.Application:
    """Return Form 01 or Form 04 of a case listed because its household applied, filled from
    the registry; NOT_FOUND for a case with no application."""
    case, round_ = service.case_for(session, principal, Permission.READ_REGISTRY, case_id)
    if case.application not in ("form01", "form04"):
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"an application of case {case_id}")
    household = registry.households_by_id(session, [case.household_id])[case.household_id]
    return content.Application(
        place=_place(session, round_, case.hamlet_id),
        year=round_.year,
        form=case.application,
        line=_lines(session, [case])[case.id],
        members=paper_members(household, principal.can(Permission.SEE_NATIONAL_IDS)),
        special_groups=[labels.choice("special_groups", g) for g in household.special_groups or []],
        poverty_causes=[labels.choice("poverty_causes", c) for c in household.poverty_causes or []],
        standard=_statement(round_),
    )


def _place(session: Session, round_: Round, hamlet_id: int | None) -> content.Place:
    commune = geography.commune(session, round_.commune_id)
    assert commune is not None
    hamlet = geography.hamlet(session, hamlet_id) if hamlet_id else None
    return content.Place(commune.province.name, commune.name, hamlet.name if hamlet else None)


def _statement(round_: Round) -> str:
    """Return the sentence stating the year of the list the round makes and its standard."""
    return service.standard_of(round_).statement(round_.list_year)


def _result(case: Case) -> str:
    """Return what a paper shows as the case's result: its class or, where the procedure
    tests a worker rather than classifying the household, whether the worker qualifies."""
    if case.final_class is not None:
        return case.final_class
    if case.income is not None:
        return "low_income_worker" if case.income.get("eligible") else "not_eligible"
    return "undetermined"


def _lines(session: Session, cases: list[Case]) -> dict[int, content.Line]:
    households = registry.households_by_id(session, [c.household_id for c in cases])
    hamlets = geography.hamlets_by_id(session, [c.hamlet_id for c in cases])
    lines = {}
    for case in cases:
        household: Household = households[case.household_id]
        change = CHANGE_LABELS[Change(case.change)]["vi"] if case.change else ""
        lines[case.id] = content.Line(
            code=household.code,
            head_name=household.head_name,
            address=household.address,
            hamlet=hamlets[case.hamlet_id].name,
            household_class=_result(case),
            change=change,
            overridden=case.overridden,
        )
    return lines


def minutes(session: Session, principal: Principal, meeting_id: int) -> content.Minutes:
    """Return the minutes of a hamlet meeting with every vote taken at it."""
    meeting = service.meeting_for(session, principal, Permission.READ_REGISTRY, meeting_id)
    round_ = repository.round_(session, meeting.round_id)
    assert round_ is not None
    votes = repository.votes_of(session, meeting.id)
    cases = list(repository.cases_by_id(session, [v.case_id for v in votes]).values())
    lines = _lines(session, cases)
    return content.Minutes(
        place=_place(session, round_, meeting.hamlet_id),
        year=round_.year,
        held_on=meeting.held_on,
        chair_name=meeting.chair_name,
        secretary_name=meeting.secretary_name,
        front_supervisor=meeting.front_supervisor,
        households_represented=meeting.households_represented,
        others_present=meeting.others_present,
        votes=[content.VoteLine(lines[v.case_id], v.agree, v.attendees, v.passed) for v in votes],
        standard=_statement(round_),
    )


def _chosen_postings(
    session: Session,
    principal: Principal,
    round_: Round,
    hamlet_id: int | None,
    posting_id: int | None,
) -> tuple[list[Posting], int | None]:
    """Return the postings a paper shows and the hamlet they were made at (None: the commune
    office): the one named, the hamlet's, or the commune office's."""
    postings = repository.postings_of(session, round_.id)
    if posting_id is not None:
        postings = [p for p in postings if p.id == posting_id]
        if not postings:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"posting {posting_id} of the round")
        if hamlet_id is not None and postings[0].hamlet_id != hamlet_id:
            raise RasoatError(
                ErrorCode.NOT_FOUND, what=f"posting {posting_id} of hamlet {hamlet_id}"
            )
        hamlet_id = postings[0].hamlet_id
    if hamlet_id is not None:
        hamlet = geography.hamlet(session, hamlet_id)
        if hamlet is None or hamlet.commune_id != round_.commune_id:
            raise RasoatError(ErrorCode.NOT_FOUND, what=f"hamlet {hamlet_id} of the round")
        require_place(principal, Permission.READ_REGISTRY, geography.place_of(hamlet))
    place = PostingPlace.HAMLET if hamlet_id is not None else PostingPlace.COMMUNE_OFFICE
    chosen = [
        p
        for p in postings
        if p.place == place.value and (hamlet_id is None or p.hamlet_id == hamlet_id)
    ]
    if not chosen:
        where = f"hamlet {hamlet_id}" if hamlet_id is not None else "the commune office"
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"a posting at {where}")
    return chosen, hamlet_id


def posting_list(
    session: Session,
    principal: Principal,
    round_id: int,
    hamlet_id: int | None,
    posting_id: int | None = None,
) -> content.PostingList:
    """Return the list posted at a hamlet, or at the commune office when ``hamlet_id`` is
    None (every hamlet's cases it posted), or the one posting ``posting_id``; with the
    re-check outcomes."""
    round_ = service.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    postings, hamlet_id = _chosen_postings(session, principal, round_, hamlet_id, posting_id)
    posted = {p.id for p in postings}
    cases = [
        c
        for c in repository.cases_of_round(session, round_.id)
        if c.posting_id in posted or c.office_posting_id in posted
    ]
    lines = _lines(session, cases)
    complaints = repository.complaints_of(session, [c.id for c in cases])
    rechecks = [
        content.Recheck(
            lines[c.id],
            complaint.raised_on,
            complaint.before_class or "",
            complaint.outcome_class or "",
            complaint.outcome_note or "",
        )
        for c in cases
        for complaint in complaints.get(c.id, [])
        if complaint.outcome_class is not None
    ]
    return content.PostingList(
        place=_place(session, round_, hamlet_id),
        year=round_.year,
        procedure=round_.procedure,
        starts_on=min(p.starts_on for p in postings),
        ends_on=max(p.ends_on for p in postings),
        lines=[lines[c.id] for c in cases],
        rechecks=rechecks,
        standard=_statement(round_),
    )


def _recognised(
    session: Session, principal: Principal, round_id: int
) -> tuple[Round, list[Case], str, date]:
    """Return the recognised round, its decided cases, the decision's number and date."""
    round_ = service.round_for(session, principal, Permission.READ_REGISTRY, round_id)
    if round_.decision_number is None or round_.decision_date is None:
        raise RasoatError(ErrorCode.NOT_FOUND, what=f"the decision of round {round_id}")
    cases = [
        c
        for c in repository.cases_of_round(session, round_.id)
        if c.state in ("recognised", "certified")
    ]
    return round_, cases, round_.decision_number, round_.decision_date


def decision(session: Session, principal: Principal, round_id: int) -> content.Decision:
    """Return Form 02 of a recognised round: poor, near-poor, exited-poverty and
    exited-near-poverty lists (average-living households or low-income workers for those
    procedures)."""
    round_, cases, number, decided_on = _recognised(session, principal, round_id)
    lines = _lines(session, cases)
    if round_.procedure == "average_living":
        sections = [
            content.Section(
                "Danh sách hộ có mức sống trung bình",
                [lines[c.id] for c in cases if c.final_class == "average"],
            )
        ]
    elif round_.procedure == "low_income_worker":
        sections = [
            content.Section(
                "Danh sách hộ có người lao động thu nhập thấp",
                [_with_note(lines[c.id], c) for c in cases if (c.income or {}).get("eligible")],
            )
        ]
    else:
        sections = [
            content.Section(
                "Danh sách hộ nghèo", [lines[c.id] for c in cases if c.final_class == "poor"]
            ),
            content.Section(
                "Danh sách hộ cận nghèo",
                [lines[c.id] for c in cases if c.final_class == "near_poor"],
            ),
            content.Section(
                "Danh sách hộ thoát nghèo",
                [
                    lines[c.id]
                    for c in cases
                    if c.previous_class == "poor" and c.final_class != "poor"
                ],
            ),
            content.Section(
                "Danh sách hộ thoát cận nghèo",
                [
                    lines[c.id]
                    for c in cases
                    if c.previous_class == "near_poor" and c.final_class not in ON_LISTS
                ],
            ),
        ]
    return content.Decision(
        place=_place(session, round_, None),
        year=round_.year,
        number=number,
        decided_on=decided_on,
        procedure=round_.procedure,
        sections=sections,
        standard=_statement(round_),
        citation=(service.standard_of(round_).citation or {}).get("vi", ""),
    )


def _with_note(line: content.Line, case: Case) -> content.Line:
    members = ", ".join((case.income or {}).get("applying_members", []))
    return content.Line(**{**line.__dict__, "note": f"Thành viên: {members}"})


def certificates(
    session: Session, principal: Principal, round_id: int, case_id: int | None
) -> list[content.Certificate]:
    """Return Form 03 of every certified household of the round in the principal's scope
    (or of one case, OUT_OF_SCOPE when its hamlet is not the principal's)."""
    round_, cases, number, decided_on = _recognised(session, principal, round_id)
    if case_id is not None:
        service.case_for(session, principal, Permission.READ_REGISTRY, case_id)
    # A certificate names every member with a birth year: unlike the posted lists and the
    # decision, it is the household's own paper, so a hamlet's users see only their hamlets'.
    hamlets = geography.hamlets_by_id(session, [c.hamlet_id for c in cases])
    chosen = [
        c
        for c in cases
        if c.certificate_number is not None
        and (case_id is None or c.id == case_id)
        and principal.scope.covers(geography.place_of(hamlets[c.hamlet_id]))
    ]
    if not chosen:
        raise RasoatError(ErrorCode.NOT_FOUND, what="a certificate")
    lines = _lines(session, chosen)
    households = registry.households_by_id(session, [c.household_id for c in chosen])
    papers = []
    for case in chosen:
        assert case.certificate_number is not None
        assert case.certificate_kind is not None
        assert case.certificate_issued_on is not None
        household = households[case.household_id]
        papers.append(
            content.Certificate(
                place=_place(session, round_, None),
                year=round_.year,
                number=case.certificate_number,
                kind=case.certificate_kind,
                issued_on=case.certificate_issued_on,
                decision_number=number,
                decided_on=decided_on,
                line=lines[case.id],
                members=paper_members(household, principal.can(Permission.SEE_NATIONAL_IDS)),
                standard=_statement(round_),
            )
        )
    return papers
