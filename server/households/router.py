"""HTTP endpoints of the household registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from server.auth.dependencies import HouseholdEditor, Reader
from server.auth.policy import Permission
from server.auth.service import actor_of
from server.db import DbSession
from server.errors import language
from server.households import service
from server.households.models import Household, Member
from server.households.schemas import (
    ClassRecord,
    HouseholdDetail,
    HouseholdIn,
    HouseholdItem,
    HouseholdPage,
    MemberItem,
    MemberOut,
    MemberPage,
)
from server.ids import PathId, QueryId
from shared.vocabulary import HouseholdClass

router = APIRouter(tags=["households"])

PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=200)]
Year = Annotated[int | None, Query(ge=1990, le=2100)]
Search = Annotated[
    str | None,
    Query(max_length=100, description="Name, with or without diacritics: nguyen van quyet"),
]


def listing(
    hamlet_id: QueryId = None,
    household_class: HouseholdClass | None = None,
    year: Year = None,
    q: Search = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> service.Listing:
    """The filters and page of a list request, from its query string."""
    return service.Listing(hamlet_id, household_class, year, q, page, page_size)


ListingDep = Annotated[service.Listing, Depends(listing)]


def _member(member: Member, show_ids: bool) -> MemberOut:
    return MemberOut(
        id=member.id,
        member_no=member.member_no,
        full_name=member.full_name,
        birth_date=member.birth_date,
        sex=member.sex,
        relation=member.relation,
        national_id=member.national_id
        if show_ids
        else service.mask_national_id(member.national_id),
        national_id_issued_on=member.national_id_issued_on if show_ids else None,
        national_id_issued_by=member.national_id_issued_by if show_ids else None,
        ethnicity=member.ethnicity,
        permanent_residence=member.permanent_residence,
        current_residence=member.current_residence,
        activity=member.activity,
        no_labour_capacity=member.no_labour_capacity,
        monthly_social_allowance_vnd=member.monthly_social_allowance_vnd,
        revolutionary_merit=member.revolutionary_merit,
    )


@router.get("/households", response_model=HouseholdPage)
def households(principal: Reader, session: DbSession, asked: ListingDep) -> HouseholdPage:
    """Households in your scope, by code. The class shown is that of ``year`` (by default the
    latest year on record when filtering by class)."""
    found = service.list_households(session, principal, asked)
    items = [
        HouseholdItem(
            id=h.id,
            code=h.code,
            hamlet_id=h.hamlet_id,
            hamlet_name=hamlet_name,
            head_name=h.head_name,
            address=h.address,
            year=found.year if cls is not None else None,
            household_class=cls,
        )
        for h, hamlet_name, cls in found.rows
    ]
    return HouseholdPage(
        items=items,
        page=asked.page,
        page_size=asked.page_size,
        total=found.total,
        year=found.year,
    )


@router.post("/households", response_model=HouseholdDetail, status_code=201)
def create_household(
    body: HouseholdIn, principal: HouseholdEditor, session: DbSession, request: Request
) -> HouseholdDetail:
    """Register a household in a hamlet of your scope."""
    created = service.create_household(
        session,
        principal,
        actor_of(principal),
        body.hamlet_id,
        body.code,
        body.head_name,
        body.address,
        body.latitude,
        body.longitude,
        [service.MemberData(**m.model_dump()) for m in body.members],
        service.SurveyFacts(body.special_groups, body.poverty_causes, body.poverty_cause_other),
    )
    return _detail(service.detail(session, principal, created.id), request)


@router.get("/households/{household_id}", response_model=HouseholdDetail)
def household(
    household_id: PathId, principal: Reader, session: DbSession, request: Request
) -> HouseholdDetail:
    """One household: members, class history per year, and the latest deprivations with
    their reasons (in the language of Accept-Language)."""
    return _detail(service.detail(session, principal, household_id), request)


def _detail(found: service.Detail, request: Request) -> HouseholdDetail:
    h: Household = found.household
    standing_ids = set(found.standing.values())
    history = [
        ClassRecord(
            id=c.id,
            year=c.year,
            household_class=c.household_class,
            standard=c.standard_id,
            complete=c.complete,
            deprived=list(c.deprived),
            source=c.source,
            survey_id=c.survey_id,
            recorded_at=c.recorded_at,
            stands=c.id in standing_ids,
        )
        for c in found.history
    ]
    latest = next((c for c in found.history if c.id in standing_ids), None)
    return HouseholdDetail(
        id=h.id,
        code=h.code,
        hamlet_id=h.hamlet_id,
        hamlet_name=found.hamlet.name,
        commune_id=found.hamlet.commune_id,
        area=found.hamlet.area,
        head_name=h.head_name,
        address=h.address,
        latitude=h.latitude,
        longitude=h.longitude,
        members=[_member(m, found.show_ids) for m in h.members],
        special_groups=h.special_groups,
        poverty_causes=h.poverty_causes,
        poverty_cause_other=h.poverty_cause_other,
        history=history,
        latest=None if latest is None else service.result_in(latest, language(request)),
    )


@router.get("/members", response_model=MemberPage)
def members(principal: Reader, session: DbSession, asked: ListingDep) -> MemberPage:
    """Members of households in your scope; ``q`` searches member names without diacritics."""
    found = service.list_members(session, principal, asked)
    show_ids = principal.can(Permission.SEE_NATIONAL_IDS)
    items = [
        MemberItem(
            **_member(member, show_ids).model_dump(),
            household_id=h.id,
            household_code=h.code,
            hamlet_id=h.hamlet_id,
        )
        for member, h in found.rows
    ]
    return MemberPage(items=items, page=asked.page, page_size=asked.page_size, total=found.total)
