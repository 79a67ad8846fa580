"""The classification preview runs the shared engine over the draft."""

from __future__ import annotations

from mobile.facades.camera import FakeCamera
from mobile.facades.location import FakeLocator
from mobile.presenters.form import FormPresenter
from mobile.presenters.preview import preview
from mobile.store import UserStore
from shared.forms import Form
from tests.mobile.presenters.filling import fill_poor_household


def filled(store: UserStore, form: Form) -> FormPresenter:
    survey = store.new_survey(1, form.id, form.version)
    p = FormPresenter(form, survey, store, FakeCamera(), FakeLocator())
    fill_poor_household(p)
    return p


def test_a_complete_review_previews_its_class_and_every_reason(
    store: UserStore, survey_form: Form
) -> None:
    view = preview(filled(store, survey_form).filled)
    assert view.household_class == "poor"
    assert view.class_text == "Hộ nghèo"
    assert view.complete
    assert view.deprived_text == "3 chỉ số thiếu hụt"
    deprived = {i.id for i in view.indicators if i.status == "deprived"}
    assert deprived == {"employment", "housing_quality", "latrine"}
    assert all(i.reason for i in view.indicators)
    assert view.income_text.startswith("Thu nhập bình quân 1.350.000")
    assert view.missing == ()


def test_the_finished_review_is_ready_to_sync(store: UserStore, survey_form: Form) -> None:
    p = filled(store, survey_form)
    assert p.finish() == []
    saved = store.survey(p.survey.survey_id)
    assert saved is not None
    assert saved.state == "ready"
    assert saved.envelope["meta"]["completed_at"]
    assert saved.envelope["answers"]["members"][0]["birth_date"] == "1979-04-02"


def test_a_partial_review_says_what_is_missing_in_the_forms_words(
    store: UserStore, survey_form: Form
) -> None:
    survey = store.new_survey(1, survey_form.id, survey_form.version)
    p = FormPresenter(survey_form, survey, store, FakeCamera(), FakeLocator())
    p.set_text("reference_date", "15/10/2026")
    p.choose("area", "rural")
    p.set_text("household_id", "KP-1")
    p.go(1)
    p.add_row("members")
    p.choose("member_status", "present")
    p.set_text("birth_date", "01/01/1990")
    view = preview(p.filled)
    assert view.household_class == "undetermined"
    assert not view.complete
    assert "Vật liệu chính của tường" in view.missing
    assert "Thành viên 1: Có thẻ bảo hiểm y tế còn hạn" in view.missing


def test_a_review_without_a_household_says_why_in_english(
    store: UserStore, survey_form: Form
) -> None:
    survey = store.new_survey(1, survey_form.id, survey_form.version)
    p = FormPresenter(survey_form, survey, store, FakeCamera(), FakeLocator())
    view = preview(p.filled, "en")
    assert view.class_text == "Cannot be determined yet"
    assert view.problem.startswith("Not enough answers to classify")
