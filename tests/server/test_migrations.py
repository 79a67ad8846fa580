"""The Alembic revisions build exactly the schema the models describe, and run both ways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from server.db import make_engine
from server.migrate import is_current, upgrade
from server.models import Base


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        # Trigram indexes exist only on PostgreSQL, made by revision 0003 by hand.
        drift = [
            change
            for change in compare_metadata(context, Base.metadata)
            if not (change[0] == "remove_index" and change[1].name.endswith("_trgm"))
        ]
    assert drift == []


def test_database_is_at_head(migrated_url: str) -> None:
    assert is_current(migrated_url)


def test_downgrade_to_empty_and_back(tmp_path: Path) -> None:
    from alembic import command

    from server.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert is_current(url)


def _one_row_in_each_table(url: str) -> list[str]:
    """Insert one row in every table (but the audit log) of the database at ``url``, id 1,
    each referring to the others; return the tables' names."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, MetaData, Numeric

    engine = make_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    samples = {
        Integer: 1,
        Float: 1.0,
        Numeric: 1,
        Boolean: True,
        JSON: {},
        DateTime: moment,
        Date: moment.date(),
    }
    names = []
    with engine.begin() as connection:
        for table in tables.sorted_tables:
            # The audit log is a chain the revisions re-key and refuse when broken: left empty.
            if table.name in ("alembic_version", "audit_log"):
                continue
            row = {}
            for column in table.columns:
                if column.nullable or column.server_default is not None:
                    continue
                kind = type(column.type)
                row[column.name] = next((v for t, v in samples.items() if issubclass(kind, t)), "1")
            connection.execute(table.insert().values(**row))
            names.append(table.name)
    engine.dispose()
    return names


def test_sqlite_tables_referred_to_by_rows_can_be_altered(tmp_path: Path) -> None:
    """A database in use takes the revisions that copy a table in SQLite's batch mode
    (review_rounds, households, users, members) while other rows refer to it: one row in
    every table at revision 0011, each referring to the others, and every row is still there
    at head."""
    url = f"sqlite:///{tmp_path / 'in-use.sqlite3'}"
    upgrade(url, "0011")
    counts = dict.fromkeys(_one_row_in_each_table(url), 1)
    upgrade(url)
    assert is_current(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        for name in counts:
            # Revision 0027 renamed the survey table.
            name = {"submissions": "surveys"}.get(name, name)
            assert connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar() == 1, name
    engine.dispose()


def test_stored_results_become_the_engines_facts(tmp_path: Path) -> None:
    """Revision 0028: a survey's classification stored rendered ({vi, en}) becomes the
    engine's facts and renders as before; a result with no survey behind it keeps its texts;
    the survey's own copy goes, and comes back on the way down."""
    import json
    import random
    import sqlite3
    from datetime import date

    from alembic import command

    from server.demo.population import random_household
    from server.migrate import alembic_config
    from shared.engine import classify, parse_household
    from shared.reasons import render_result

    path = tmp_path / "results.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url, "0027")
    document = random_household(random.Random(3), "HH-1", date(2026, 11, 2), "rural", "poor")
    result = classify(parse_household(document))
    rendered = {"vi": result.to_dict("vi"), "en": result.to_dict("en")}
    _one_row_in_each_table(url)
    raw = sqlite3.connect(path)
    raw.execute(
        "UPDATE surveys SET household_document = ?, result = ? WHERE id = 1",
        (json.dumps(document), json.dumps(rendered["vi"])),
    )
    raw.execute(
        "UPDATE classifications SET result = ?, source = 'survey', survey_id = 1 WHERE id = 1",
        (json.dumps(rendered),),
    )
    others = [
        (2, "import", {**rendered, "decision": {"case_id": 4}}),
        (3, "decision", {"decision": {"case_id": 5}}),
    ]
    for number, source, stored in others:
        raw.execute(
            "INSERT INTO classifications (id, household_id, year, household_class, standard_id,"
            " complete, deprived, result, source, recorded_at)"
            " SELECT ?, household_id, year, household_class, standard_id, complete, deprived, ?,"
            " ?, recorded_at FROM classifications WHERE id = 1",
            (number, json.dumps(stored), source),
        )
    raw.commit()
    raw.close()

    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        results = {
            number: json.loads(stored)
            for number, stored in connection.exec_driver_sql(
                "SELECT id, result FROM classifications ORDER BY id"
            )
        }
        survey_columns = {c["name"] for c in inspect(connection).get_columns("surveys")}
    engine.dispose()
    assert "result" not in survey_columns
    assert results[1] == json.loads(json.dumps(result.facts()))
    texts = results[2]["indicators"]["water_source"]["reason"]
    assert texts == {
        "vi": rendered["vi"]["indicators"]["water_source"]["reason"],
        "en": rendered["en"]["indicators"]["water_source"]["reason"],
    }
    assert results[2]["decision"] == {"case_id": 4}
    assert results[3] == {"decision": {"case_id": 5}}
    for number in (1, 2):
        facts = {k: v for k, v in results[number].items() if k != "decision"}
        for lang in ("vi", "en"):
            assert render_result(facts, lang) == rendered[lang]

    command.downgrade(alembic_config(url), "0027")
    raw = sqlite3.connect(path)
    back = dict(raw.execute("SELECT id, result FROM classifications").fetchall())
    survey_result = raw.execute("SELECT result FROM surveys").fetchone()[0]
    raw.close()
    assert json.loads(back[1]) == rendered
    assert json.loads(survey_result) == rendered["vi"]
