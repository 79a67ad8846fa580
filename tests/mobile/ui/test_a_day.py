"""An enumerator's whole day on the real app against the real server app over HTTP (uvicorn
on a loopback port): last year's roster confirmed with a death and a birth, the app killed in
the middle of the form and taken back, a new household, a split, the survey returned by the
commune with a comment on a question, corrected and sent again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.mobile.ui.driving import drive

pytestmark = pytest.mark.ui

OFFICER, OFFICER_PASSWORD = "canboxa", "mat-khau-xa-1"


def test_an_enumerators_day_reaches_the_commune_and_comes_back(
    x_display: str, tmp_path: Path, shots: Path
) -> None:
    # The server loads only when this test runs, not whenever tests/mobile is collected.
    from sqlalchemy import select

    from mobile.presenters.preview import class_text
    from server.audit.service import SYSTEM
    from server.auth.policy import Role, Scope, ScopeKind
    from server.auth.service import create_user
    from server.geography.models import Hamlet
    from server.households.models import Classification, Household
    from server.households.service import MemberData, register_household
    from server.surveys.models import Survey
    from tests.contract.tablet_world import HAMLET, PASSWORD, USERNAME, serve, signed_in_tablet

    year = date.today().year
    with serve(tmp_path) as served:
        with served.sessions() as session:
            hamlet = session.scalars(select(Hamlet).where(Hamlet.name == HAMLET)).one()
            register_household(
                session,
                SYSTEM,
                hamlet,
                "VL-KP2-0041",
                "Đinh Văn Tâm",
                "Xóm Nà Khoang, nhà 41",
                members=[
                    MemberData("1", "Đinh Văn Tâm", date(1980, 5, 1), "male", "head"),
                    MemberData("2", "Lò Thị Hoa", date(1984, 2, 10), "female", "spouse"),
                    MemberData("3", "Đinh Văn Cường", date(1941, 1, 1), "male", "parent"),
                    MemberData("4", "Đinh Văn Bảo", date(year - 9, 6, 1), "male", "child"),
                ],
            )
            register_household(
                session,
                SYSTEM,
                hamlet,
                "VL-KP2-0042",
                "Đinh Văn Hùng",
                "Xóm Nà Khoang, nhà 42",
                members=[
                    MemberData("1", "Đinh Văn Hùng", date(1960, 1, 1), "male", "head"),
                    MemberData("2", "Đinh Văn Lâm", date(1990, 3, 3), "male", "child"),
                ],
            )
            create_user(
                session,
                served.security,
                SYSTEM,
                OFFICER,
                "Đặng Thu Hạnh",
                OFFICER_PASSWORD,
                Role.COMMUNE_OFFICER,
                Scope(ScopeKind.COMMUNE, commune_id=hamlet.commune_id),
            )
            commune_id = hamlet.commune_id
            session.commit()
        tablet = signed_in_tablet(tmp_path / "tablet", served.url)
        tablet.http().close()
        tablet.db.close()
        data = tablet.data_dir
        env = {"RASOAT_UI_USER": USERNAME, "RASOAT_UI_SECRET": PASSWORD}

        def run(phase: str) -> tuple[int, dict[str, object]]:
            return drive(
                x_display,
                "day",
                data,
                shots / f"day-{phase}",
                extra_env={**env, "RASOAT_UI_PHASE": phase},
                timeout=240,
            )

        code, morning = run("morning")
        assert code == 9, "the app was meant to die in the middle of the form"
        assert morning["preloaded"] == [
            "Đinh Văn Tâm",
            "Lò Thị Hoa",
            "Đinh Văn Cường",
            "Đinh Văn Bảo",
        ]

        code, afternoon = run("afternoon")
        assert code == 0
        assert afternoon["resumed_page"] == "B. Thành viên hộ"
        assert afternoon["roster"] == [
            ["Đinh Văn Tâm", "present"],
            ["Lò Thị Hoa", "present"],
            ["Đinh Văn Cường", "died"],
            ["Đinh Văn Bảo", "present"],
            ["Đinh Thị Na", "born"],
        ]
        assert afternoon["errors"] == []
        assert str(afternoon["new_household"]).startswith("MOI-")
        assert str(afternoon["split_household"]).endswith("Đinh Văn Lâm")
        assert afternoon["corrected_members"] == ["Chủ hộ 5", "Lò Thị Mai"]
        assert afternoon["corrected_on"] == "detail"
        assert str(afternoon["syncs"][-2]).startswith("Đồng bộ xong: gửi 5 và 3 ảnh")  # type: ignore[index]

        with served.sessions() as session:
            households = {h.code: h for h in session.scalars(select(Household)).all()}
            surveyed = households["VL-KP2-0041"]
            survey = session.scalars(select(Survey).where(Survey.household_id == surveyed.id)).one()
            answers = survey.answers.get("answers", survey.answers)
            survey_class = session.scalars(
                select(Classification.household_class).where(Classification.survey_id == survey.id)
            ).one()
            statuses = [m["member_status"] for m in answers["members"]]
            new = sorted(code for code in households if code.startswith("MOI-"))
            split_from = [m.full_name for m in households["VL-KP2-0042"].members]
            split_to = [[m.full_name for m in households[code].members] for code in new]
            corrected = [
                (m.full_name, m.birth_date, m.sex, m.relation)
                for m in households["VL-KP2-0005"].members
            ]
        assert statuses == ["present", "present", "died", "present", "born"]
        # The server classifies the household as the tablet previewed it.
        assert class_text(survey_class, "vi") == afternoon["preview_class"]
        assert len(new) == 2
        assert split_from == ["Đinh Văn Hùng"]
        assert ["Đinh Văn Lâm"] in split_to
        assert corrected == [
            ("Chủ hộ 5", date(1970, 6, 15), "male", "head"),
            ("Lò Thị Mai", date(1975, 2, 1), "female", "spouse"),
        ]

        # The commune officer lists the household, takes the survey in and returns it.
        with httpx.Client(base_url=f"{served.url}/api/v1", timeout=10) as http:
            token = http.post(
                "/auth/login",
                json={
                    "username": OFFICER,
                    "password": OFFICER_PASSWORD,
                    "device_id": "office-pc-1",
                },
            ).json()["access_token"]
            http.headers["Authorization"] = f"Bearer {token}"
            round_ = http.post("/review/rounds", json={"commune_id": commune_id, "year": year})
            assert round_.status_code == 201, round_.text
            rid = round_.json()["id"]
            case = http.post(
                f"/review/rounds/{rid}/cases",
                json={"household_id": surveyed.id, "application": "form01"},
            )
            assert case.status_code == 201, case.text
            assert http.post(f"/review/rounds/{rid}/collect").status_code == 200
            returned = http.post(
                f"/review/cases/{case.json()['id']}/return",
                json={"comments": [{"question": "floor_area_m2", "text": "Đo lại diện tích"}]},
            )
            assert returned.status_code == 200, returned.text

        code, evening = run("evening")
        assert code == 0
        assert evening["returned"] == 1
        assert evening["detail_comments"] == ["Diện tích nhà ở (m²): Đo lại diện tích"]
        assert evening["opened_at"] == "D. Nhà ở"
        assert evening["comment_at_question"] == ["Ý kiến của xã: Đo lại diện tích"]
        assert evening["errors_again"] == []
        assert evening["states"] == ["sent"]
        with served.sessions() as session:
            areas = [
                s.answers.get("answers", s.answers)["floor_area_m2"]
                for s in session.scalars(select(Survey).where(Survey.household_id == surveyed.id))
            ]
        assert sorted(areas) == [36, 42]
