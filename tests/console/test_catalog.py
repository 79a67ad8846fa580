"""The Vietnamese catalog covers every message the console shows, and the formats are the
Vietnamese ones."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.messages.pofile import read_po

from server.console import i18n


def test_every_message_has_a_vietnamese_translation() -> None:
    with i18n.catalog_path("vi").open("rb") as po:
        catalog = read_po(po, locale="vi")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(i18n.source_messages() - translated) == []
    assert i18n.translations("vi").gettext("Review queue") == "Danh sách chờ duyệt"


def test_numbers_and_dates_follow_vietnamese_usage() -> None:
    assert i18n.number(2567, "vi") == "2.567"
    assert i18n.percent(0.31, "vi") == "0,31 %"
    assert i18n.number(2567, "en") == "2,567"
    assert i18n.day(date(2023, 12, 6)) == "06/12/2023"
    # 17:30 UTC is half past midnight the next day in Hà Nội.
    assert i18n.moment(datetime(2023, 12, 5, 17, 30, tzinfo=UTC)) == "06/12/2023 00:30"
