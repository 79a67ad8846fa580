"""Finding one's way in a long form: the index of sections with their counts, the errors left
at Finish named by section and question, a returned survey opened at its first comment."""

from __future__ import annotations

from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.presenters.comments import comment_lines
from mobile.presenters.form import FormPresenter
from mobile.store import UserStore
from shared.forms import Form


def _presenter(store: UserStore, form: Form, comment: str = "") -> FormPresenter:
    survey = store.new_survey(1, form.id, form.version)
    if comment:
        survey.state = "returned"
        survey.returned_comment = comment
        store.save_survey(survey)
    return FormPresenter(form, survey, store, FakeCamera(), FakeLocator())


def test_the_index_counts_each_section_and_jumps_to_a_question(
    store: UserStore, survey_form: Form
) -> None:
    p = _presenter(store, survey_form)
    p.set_text("commune", "Xã Tân Lập")
    p.set_text("phone", "12")
    index = p.question_index()
    first = index[0]
    assert first.title == "A. Thông tin định danh hộ"
    assert first.answered == 2
    assert first.required == 7
    assert first.errors == 7  # six required left empty and a bad phone number
    assert index[3].entries[3].label == "Diện tích nhà ở (m²)"
    p.go_to_path(index[3].entries[3].path)
    assert p.view().title == "D. Nhà ở"


def test_finish_lists_the_errors_by_section_and_question(
    store: UserStore, survey_form: Form
) -> None:
    p = _presenter(store, survey_form)
    assert p.finish()
    lines = p.error_lines()
    texts = [line.text for line in lines]
    assert texts[0] == "A. Thông tin định danh hộ · Ngày rà soát: Chưa trả lời câu hỏi bắt buộc"
    assert all("[" not in text and "_" not in text for text in texts), texts
    walls = next(line for line in lines if "Vật liệu chính của tường" in line.text)
    p.go_to_path(walls.path)
    assert p.view().title == "D. Nhà ở"


def test_a_returned_review_opens_at_the_first_comment_and_shows_it_there(
    store: UserStore, survey_form: Form
) -> None:
    p = _presenter(store, survey_form, "floor_area_m2: Kiểm tra lại diện tích; Gọi lại cho xã")
    view = p.view()
    assert view.title == "D. Nhà ở"
    area = next(i for i in view.items if i.path == "floor_area_m2")
    assert [m.text for m in area.messages] == ["Ý kiến của xã: Kiểm tra lại diện tích"]
    assert p.general_comments == ["Gọi lại cho xã"]


def test_comments_elsewhere_are_named_by_their_question(survey_form: Form) -> None:
    assert comment_lines(
        ["floor_area_m2: Kiểm tra lại", "members[1].education: Học hết lớp 9?", "Nói chung ổn"],
        survey_form,
        "vi",
    ) == (
        "Diện tích nhà ở (m²): Kiểm tra lại",
        "Thành viên 2: Trình độ giáo dục cao nhất đã tốt nghiệp: Học hết lớp 9?",
        "Nói chung ổn",
    )
