"""Vietnamese text typed precomposed (NFC) or with combining marks (NFD) is the same text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from forms import FORMS_DIR
from shared.forms import check_answers, shipped, validate
from shared.forms.catalog import Catalog
from tests.shared.forms.helpers import answers


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfd_answers_are_stored_as_nfc() -> None:
    filled_in = answers("household_review_poor.yaml")
    filled_in["answers"]["head_name"] = nfd("Hoàng Văn Đức")
    filled_in["answers"]["members"][1]["full_name"] = nfd("  Lò Thị Mai ")
    assert filled_in["answers"]["head_name"] != "Hoàng Văn Đức"
    filled = check_answers(shipped().get("household_review", 1), filled_in)
    assert filled.issues == ()
    assert filled.answers["head_name"] == "Hoàng Văn Đức"
    members = filled.answers["members"]
    assert isinstance(members, list)
    assert members[1]["full_name"] == "Lò Thị Mai"


def test_the_form_id_matches_in_either_form() -> None:
    filled_in = answers("household_review_poor.yaml")
    filled_in["form"] = nfd("household_review")
    assert validate(shipped().get("household_review", 1), filled_in) == []


def test_length_limits_count_characters_after_normalising() -> None:
    form = shipped().get("household_review", 1)
    filled_in = answers("household_review_poor.yaml")
    name = "Nguyễn Thị Hường" * 7  # 112 characters NFC, more in NFD
    assert len(nfd(name)) > 120 >= len(name)
    filled_in["answers"]["enumerator"] = nfd(name)
    assert validate(form, filled_in) == []


def test_a_form_file_saved_in_nfd_loads_with_nfc_labels(tmp_path: Path) -> None:
    text = (FORMS_DIR / "support_visit" / "v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "support_visit").mkdir()
    (tmp_path / "support_visit" / "v1.yaml").write_text(nfd(text), encoding="utf-8")
    (tmp_path / "choices").mkdir()
    review = (FORMS_DIR / "choices" / "review.v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "choices" / "review.v1.yaml").write_text(nfd(review), encoding="utf-8")
    form = Catalog([tmp_path]).get("support_visit")
    assert form.title.vi == "Phiếu theo dõi hỗ trợ hộ"
    assert form.title == shipped().get("support_visit").title
