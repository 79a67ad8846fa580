"""Fill the household survey of a poor rural household of four (two children) through the
presenter, as an enumerator would."""

from __future__ import annotations

from mobile.presenters.form import FormPresenter

MEMBERS = (
    ("Hoàng Văn Đức", "02/04/1979", "male", "head"),
    ("Lò Thị Mai", "10/08/1982", "female", "spouse"),
    ("Hoàng Thị Lan", "20/05/2012", "female", "child"),
    ("Hoàng Văn Minh", "01/03/2021", "male", "child"),
)


def fill_member(p: FormPresenter, index: int) -> None:
    """Answer the open row as member ``index`` of ``MEMBERS`` (name, birth, sex, relation and
    the questions their age asks)."""
    name, born, sex, relation = MEMBERS[index]
    p.set_text("full_name", name)
    if "member_status" in p.form.nodes and not p._raw_container().get("member_status"):
        p.choose("member_status", "present")
    p.set_text("birth_date", born)
    p.choose("sex", sex) if p._raw_container().get("sex") != sex else None
    p.choose("relation", relation) if p._raw_container().get("relation") != relation else None
    p.choose("disability", "none")
    p.set_yes_no("health_insurance", True)
    if index < 2:
        p.choose("employment", "wage_without_contract" if index == 0 else "self_employed")
        p.choose("education", "lower_secondary" if index == 0 else "primary")
        p.set_yes_no("in_school", False)
        p.set_yes_no("phone_subscription", True)
        p.set_yes_no("uses_internet", False)
    else:
        p.set_yes_no("in_school", True)
        p.choose("school_level", "lower_secondary" if index == 2 else "preschool")
        p.set_yes_no("stunted", False)
        p.set_yes_no("underweight", False)
        if index == 2:
            p.set_yes_no("phone_subscription", False)
            p.set_yes_no("uses_internet", False)
    if "ethnicity" in p.form.nodes:
        fill_facts(p, index)


def fill_facts(p: FormPresenter, index: int) -> None:
    """Answer household_review 3's facts of member ``index``: a Tày family (02), the parents
    with citizen identity numbers registered in Hà Giang (002), the children in school."""
    if p._raw_container().get("ethnicity") != "02":
        p.choose("ethnicity", "02")
    if index < 2:
        p.set_text("citizen_id", ("002079001234", "002182004321")[index])
        p.set_text("citizen_id_issued_on", "10/06/2021")
        p.set_text("citizen_id_issued_by", "Cục Cảnh sát QLHC về TTXH")
        p.set_text("permanent_residence", "Xóm Nà Khoang, xã Tân Lập")
        p.set_yes_no("no_labour_capacity", False)
    if p._raw_container().get("activity") != ("working" if index < 2 else "in_school"):
        p.choose("activity", "working" if index < 2 else "in_school")
    p.set_text("monthly_social_allowance_vnd", "0")
    p.set_yes_no("revolutionary_merit", False)


def fill_members(p: FormPresenter) -> None:
    """List the four members on the roster's page, each still in the household (a roster the
    form pre-filled from last year is replaced)."""
    if "member_status" in p.form.nodes:
        while p.answers_at("members"):
            p.remove_row("members", 0)
    else:
        p.set_text("member_count", "4")
    for index in range(len(MEMBERS)):
        p.add_row("members")
        fill_member(p, index)
        p.close_row()


def fill_poor_household(p: FormPresenter) -> None:
    """Answer every required question; the household classifies as poor (3 deprivations)."""
    p.set_text("reference_date", "15/10/2026")
    p.set_text("commune", "Xã Tân Lập")
    p.set_text("hamlet", "Thôn Khuổi Phầy 2")
    p.choose("area", "rural")
    p.set_text("household_id", "VL-KP2-0017")
    p.set_text("head_name", "Hoàng Văn Đức")
    p.set_text("enumerator", "Nguyễn Thị Hường")
    p.locate("location")
    p.go(1)
    fill_members(p)
    p.go(1)
    fill_after_roster(p)


def fill_after_roster(p: FormPresenter) -> None:
    """From the income page on: a poor household's income, housing, water, information,
    photos, groups and the representative's confirmation."""
    p.choose("income_method", "measured")
    p.set_text("income_monthly_per_capita_vnd", "1.350.000")
    p.go(1)
    for question, value in (("walls", "brick"), ("frame", "bamboo"), ("roof", "thatch")):
        p.choose(question, value)
    p.set_text("floor_area_m2", "36")
    p.go(1)
    p.choose("water_source", "drilled_well")
    p.choose("latrine", "simple_pit")
    p.go(1)
    p.set_yes_no("internet_access", False)
    p.choose("information_devices", "tv")
    p.set_yes_no("hears_loudspeaker", True)
    p.go(1)
    for question in ("photo_house", "photo_latrine", "photo_water"):
        p.take_photo(question)
    p.go(1)
    p.choose("special_groups", "none")
    p.go(1)
    p.set_text("representative_name", "Hoàng Văn Đức")
    p.set_yes_no("representative_confirms", True)
