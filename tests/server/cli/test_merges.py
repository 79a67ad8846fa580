"""``rasoat admin merge-hamlets``: shows the merge first, writes it only with --commit, and a
refusal is the catalog's Vietnamese message with status 2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.server.cli.test_admin import run  # noqa: F401 (the fixture)


def test_merge_hamlets_previews_then_commits(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert run(
        "create-commune", "--province-code", "38", "--province-name", "Thanh Hóa",
        "--code", "15001", "--name", "Xã Một",
    )[0] == 0  # fmt: skip
    for code, name in (("T1", "Thôn Một"), ("T2", "Thôn Hai"), ("T3", "Thôn Ba")):
        assert run("create-hamlet", "--commune", "15001", "--code", code, "--name", name)[0] == 0

    code, shown = run("merge-hamlets", "--commune", "15001", "T1", "T2", "--name", "Thôn Mới",
                      "--on", "01/01/2026")  # fmt: skip
    assert code == 0, shown
    assert "Gộp Thôn Một (0 hộ), Thôn Hai (0 hộ) thành Thôn Mới (thôn mới), mã T1-T2" in shown
    assert "Chưa ghi gì" in shown
    database = sqlite3.connect(tmp_path / "rasoat.sqlite3")
    assert database.execute("SELECT count(*) FROM hamlet_changes").fetchone() == (0,)

    code, shown = run("merge-hamlets", "--commune", "15001", "T1", "T2", "--name", "Thôn Mới",
                      "--on", "01/01/2026", "--commit")  # fmt: skip
    assert code == 0, shown
    assert "Đã ghi: Thôn Mới" in shown
    retired = database.execute(
        "SELECT code, retired_on FROM hamlets WHERE merged_into_id IS NOT NULL ORDER BY code"
    ).fetchall()
    assert retired == [("T1", "2026-01-01"), ("T2", "2026-01-01")]

    code, shown = run("merge-hamlets", "--commune", "15001", "T1", "T3", "--name", "Khác")
    assert code == 2
    assert "Thôn Một đã được gộp vào Thôn Mới từ ngày 01/01/2026" in shown

    code, shown = run("merge-hamlets", "--commune", "15001", "T3", "--rename", "--name",
                      "thon moi", "--commit")  # fmt: skip
    assert code == 2
    assert "đã có thôn, tổ dân phố tên thon moi" in shown
    database.close()
