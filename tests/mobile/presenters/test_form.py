"""Filling the household survey through the presenter: what shows, what is said, what is kept."""

from __future__ import annotations

from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator, Fix
from mobile.presenters.form import FormPresenter, format_date, parse_date_text, parse_number
from mobile.store import UserStore
from shared.forms import Form


def presenter(
    store: UserStore,
    form: Form,
    camera: FakeCamera | None = None,
    locator: FakeLocator | None = None,
) -> FormPresenter:
    survey = store.new_survey(1, form.id, form.version)
    return FormPresenter(form, survey, store, camera or FakeCamera(), locator or FakeLocator())


def reopen(store: UserStore, form: Form, p: FormPresenter) -> FormPresenter:
    survey = store.survey(p.survey.survey_id)
    assert survey is not None
    return FormPresenter(form, survey, store, FakeCamera(), FakeLocator())


def paths(p: FormPresenter) -> list[str]:
    return [item.path for item in p.view().items]


def item(p: FormPresenter, path: str):  # type: ignore[no-untyped-def]
    return next(i for i in p.view().items if i.path == path)


def test_the_first_page_is_the_identification_section(store: UserStore, survey_form: Form) -> None:
    view = presenter(store, survey_form).view()
    assert view.title == "A. Thông tin định danh hộ"
    assert view.first
    assert not view.last
    kinds = {i.id: i.kind for i in view.items}
    assert kinds["reference_date"] == "date"
    assert kinds["area"] == "select_one"
    assert kinds["location"] == "gps"
    assert item(presenter(store, survey_form), "area").required


def test_dates_are_typed_day_first_and_stored_as_iso() -> None:
    assert parse_date_text("02/04/1979") == "1979-04-02"
    assert parse_date_text("2.4.1979") == "1979-04-02"
    assert parse_date_text("1979-04-02") == "1979-04-02"
    assert parse_date_text("31/02/1979") == "31/02/1979"
    assert format_date("1979-04-02") == "02/04/1979"


def test_numbers_accept_grouped_thousands_and_decimal_commas() -> None:
    assert parse_number("1.350.000", integer=True) == 1_350_000
    assert parse_number("36,5", integer=False) == 36.5
    assert parse_number("bốn", integer=True) == "bốn"
    assert parse_number(" ", integer=True) is None


def test_a_broken_constraint_shows_the_forms_message_at_once(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    p.set_text("phone", "0912")
    messages = [m.text for m in item(p, "phone").messages]
    assert messages == ["Số điện thoại chỉ gồm chữ số, ít nhất 9 số"]
    p.set_text("phone", "0912345678")
    assert item(p, "phone").messages == ()


def test_missing_required_answers_are_shown_after_leaving_the_page(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    assert item(p, "commune").messages == ()
    p.go(1)
    p.go(-1)
    assert [m.text for m in item(p, "commune").messages] == ["Chưa trả lời câu hỏi bắt buộc"]


def test_a_roster_row_is_added_filled_and_shows_only_relevant_questions(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    p.set_text("reference_date", "15/10/2026")
    p.go(1)
    p.add_row("members")
    assert p.view().in_row
    p.set_text("full_name", "Hoàng Thị Lan")
    assert paths(p) == ["members[0].full_name", "members[0].member_status"]
    p.choose("member_status", "present")
    p.set_text("birth_date", "20/05/2012")
    shown = paths(p)
    assert "members[0].stunted" in shown
    assert "members[0].employment" not in shown
    assert item(p, "members[0].age").text == "14"
    p.close_row()
    roster = item(p, "members")
    assert roster.rows[0].title == "Thành viên 1: Hoàng Thị Lan"
    assert roster.rows[0].problems > 0


def test_a_roster_row_is_removed(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form)
    p.go(1)
    for name in ("An", "Bình", "Chi"):
        p.add_row("members")
        p.set_text("full_name", name)
        p.close_row()
    p.remove_row("members", 1)
    assert [r.title for r in item(p, "members").rows] == ["Thành viên 1: An", "Thành viên 2: Chi"]


def test_members_who_died_or_moved_away_stay_listed_but_are_not_counted(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    p.go(1)
    for name, status in (
        ("An", "present"),
        ("Bình", "died"),
        ("Chi", "moved_away"),
        ("Dũng", "born"),
    ):
        p.add_row("members")
        p.set_text("full_name", name)
        p.choose("member_status", status)
        p.close_row()
    assert item(p, "member_count").text == "2"
    p.open_row("members", 1)
    assert paths(p) == ["members[1].full_name", "members[1].member_status"]


def test_an_exclusive_choice_clears_the_others(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form)
    p.go_to_path("information_devices")
    p.choose("information_devices", "tv")
    p.choose("information_devices", "radio")
    p.go_to_path("special_groups")
    p.choose("special_groups", "ethnic_minority")
    p.choose("special_groups", "none")
    assert p.answers["special_groups"] == ["none"]
    p.choose("special_groups", "female_headed")
    assert p.answers["special_groups"] == ["female_headed"]
    assert p.answers["information_devices"] == ["tv", "radio"]
    p.choose("information_devices", "tv")
    assert p.answers["information_devices"] == ["radio"]


def test_tapping_the_chosen_answer_again_clears_it(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form)
    p.choose("area", "rural")
    p.choose("area", "rural")
    assert "area" not in p.answers
    p.go_to_path("internet_access")
    p.set_yes_no("internet_access", False)
    assert p.answers["internet_access"] is False
    p.set_yes_no("internet_access", False)
    assert "internet_access" not in p.answers


def test_a_draft_resumes_on_the_same_row_with_everything_typed(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    p.set_text("reference_date", "15/10/20")  # half typed: kept as typed
    p.go(1)
    p.add_row("members")
    p.set_text("full_name", "Hoàng Văn Đức")
    again = reopen(store, survey_form, p)
    assert again.page == 1
    assert again.stack == [("members", 0)]
    assert item(again, "members[0].full_name").text == "Hoàng Văn Đức"
    again.close_row()
    again.go(-1)
    assert item(again, "reference_date").text == "15/10/20"


def test_a_photo_is_reduced_hashed_and_recorded(store: UserStore, survey_form: Form) -> None:
    camera = FakeCamera()
    p = presenter(store, survey_form, camera=camera)
    p.go_to_path("photo_house")
    p.take_photo("photo_house")
    answer = p.answers["photo_house"]
    jpeg = store.photo(answer["sha256"])
    assert jpeg is not None
    assert jpeg[:2] == b"\xff\xd8"
    assert answer["file"].endswith(".jpg")
    assert item(p, "photo_house").messages == ()


def test_a_camera_failure_is_said_plainly(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form, camera=FakeCamera(fail="camera busy"))
    p.go_to_path("photo_house")
    p.take_photo("photo_house")
    assert "photo_house" not in p.answers
    assert p.notice == "Không chụp được ảnh: camera busy"


def test_a_gps_fix_is_recorded_with_its_accuracy(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form, locator=FakeLocator(Fix(22.1, 104.5, 45.0)))
    p.locate("location")
    shown = item(p, "location")
    assert "±45 m" in shown.text
    assert [m.severity for m in shown.messages] == ["warning"]


def test_a_position_can_be_typed_by_hand(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form)
    p.set_location("location", "22,1234", "104.5678", "12")
    assert p.answers["location"] == {"latitude": 22.1234, "longitude": 104.5678, "accuracy_m": 12.0}
    p.set_location("location", "north", "104", "5")
    assert p.notice == "Cần nhập một số"


def test_finishing_with_errors_is_refused_and_names_them(
    store: UserStore, survey_form: Form
) -> None:
    p = presenter(store, survey_form)
    errors = p.finish()
    assert errors
    assert p.survey.state == "draft"
    assert p.notice.startswith(f"Còn {len(errors)} lỗi")


def test_relevance_drops_nothing_typed_from_the_draft(store: UserStore, survey_form: Form) -> None:
    p = presenter(store, survey_form)
    p.go_to_path("representative_confirms")
    p.set_yes_no("representative_confirms", False)
    p.set_text("disagreement", "Diện tích nhà ghi sai")
    p.set_yes_no("representative_confirms", True)
    assert "closing_section" not in paths(p)
    assert "disagreement" not in [i.id for i in p.view().items]
    assert p.answers["disagreement"] == "Diện tích nhà ghi sai"
