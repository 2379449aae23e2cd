"""The database keeps the rules even when the services are bypassed; migrations behave."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from workbench.domain.changes import QuotationRecord
from workbench.domain.errors import StorageOutdated
from workbench.domain.model import NewDocument
from workbench.services.project import open_project
from workbench.storage import migrate
from workbench.storage import repositories as repo
from workbench.storage.models import QuotationRow
from workbench.storage.project import Project


def _document(project: Project, body: str = "abcdefghij") -> tuple[int, int]:
    with project.unit_of_work() as session:
        (document_id,) = repo.add_documents(session, [NewDocument("D", body, "D.txt", "x", ())])
        coder = repo.get_or_create_coder(session, "anouk")
    return document_id, coder.id


def _insert_quotation(
    project: Project, document_id: int, coder_id: int, start: int, end: int
) -> None:
    with project.unit_of_work() as session:
        session.add(
            QuotationRow(
                document_id=document_id,
                start=start,
                end=end,
                coder_id=coder_id,
                comment="",
                created_at=datetime.now(UTC),
            )
        )


def test_schema_is_created_at_the_newest_revision(project: Project) -> None:
    assert migrate.current_revision(project.engine) == migrate.head_revision()
    tables = set(inspect(project.engine).get_table_names())
    assert {"coders", "documents", "codes", "quotations", "quotation_codes", "operations"} <= tables


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 2), (-1, 3), (2, 11)])
def test_database_refuses_spans_outside_the_text(project: Project, start: int, end: int) -> None:
    document_id, coder_id = _document(project)
    with pytest.raises((IntegrityError, DBAPIError)):
        _insert_quotation(project, document_id, coder_id, start, end)
    with project.unit_of_work() as session:
        assert session.query(QuotationRow).count() == 0


def test_database_accepts_a_span_ending_at_the_last_character(project: Project) -> None:
    document_id, coder_id = _document(project, "één café")  # lengths count code points
    _insert_quotation(project, document_id, coder_id, 4, 8)
    with project.unit_of_work() as session:
        assert session.query(QuotationRow).count() == 1


def test_foreign_keys_are_enforced(project: Project) -> None:
    with pytest.raises((IntegrityError, DBAPIError)):
        _insert_quotation(project, 999, 999, 0, 1)


def test_a_foreign_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER)")
    with pytest.raises(StorageOutdated, match="not a workbench project"):
        open_project(str(path))


def test_a_project_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with open_project(str(path)) as project, project.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    before = path.read_bytes()
    with pytest.raises(StorageOutdated, match="newer version"):
        open_project(str(path))
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("newer.db.bak-*"))


def test_postgres_project_behind_head_asks_for_db_upgrade(postgres_url: str) -> None:
    with open_project(postgres_url) as project, project.engine.begin() as connection:
        connection.execute(text("CREATE TABLE stray (id integer)"))
        connection.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(StorageOutdated, match="workbench db upgrade"):
        open_project(postgres_url)


def test_models_match_the_migrations(project: Project) -> None:
    """The ORM models and the shipped migrations describe the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from workbench.storage.models import Base

    with project.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_coding_rows_follow_their_quotation(project: Project) -> None:
    """A coding repeats its quotation's document and coder; the database keeps them equal."""
    document_id, coder_id = _document(project)
    with project.unit_of_work() as session:
        tree = repo.get_or_create_tree(session, "joint")
        code = repo.add_code(
            session,
            tree_id=tree.id,
            parent_id=None,
            name="A",
            number=1,
            definition="",
            colour=None,
            codable=True,
        )
        (stored,) = repo.insert_quotations(
            session,
            [
                QuotationRecord(
                    None, document_id, 0, 4, coder_id, "", repo.now().isoformat(), (code.id,)
                )
            ],
        )
        quotation_id = stored.id
        other = repo.get_or_create_coder(session, "bart")
    with project.unit_of_work() as session:
        session.execute(
            text("UPDATE quotations SET coder_id = :c WHERE id = :q"),
            {"c": other.id, "q": quotation_id},
        )
    with project.unit_of_work() as session:
        assert (
            session.execute(text("SELECT coder_id FROM quotation_codes")).scalar_one() == other.id
        )
        quotation = repo.get_quotation(session, quotation_id)
        assert isinstance(quotation.created_at, datetime)
    with pytest.raises((IntegrityError, DBAPIError)), project.unit_of_work() as session:
        session.execute(text("UPDATE quotation_codes SET document_id = 999"))


def test_an_older_sqlite_project_is_backed_up_before_the_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "study.db"
    with open_project(str(path)) as project, project.unit_of_work() as session:
        repo.get_or_create_coder(session, "anouk")
    # This version's head becomes "older" once a newer migration ships; pretend one has.
    current = migrate.head_revision()
    monkeypatch.setattr(migrate, "head_revision", lambda: "a-newer-revision")
    monkeypatch.setattr(migrate, "HEAD_REVISION", "a-newer-revision")
    with open_project(str(path)):
        pass
    backup = tmp_path / f"study.db.bak-{current}"
    assert backup.exists()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT name FROM coders").fetchall() == [("anouk",)]


def test_a_real_older_sqlite_project_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    """A project written at the first schema revision opens, after a backup, with its data."""
    from alembic import command

    from workbench.storage.engine import make_engine, to_url

    path = tmp_path / "old.db"
    engine = make_engine(to_url(str(path)))
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text("INSERT INTO coders (name, created_at) VALUES ('anouk', '2026-01-01 00:00:00')")
        )
    engine.dispose()
    with open_project(str(path)) as project:
        assert migrate.current_revision(project.engine) == migrate.head_revision()
        assert "memos" in inspect(project.engine).get_table_names()
        with project.unit_of_work() as session:
            assert repo.list_coder_names(session) == ["anouk"]
    with sqlite3.connect(tmp_path / "old.db.bak-0001") as backup:
        assert backup.execute("SELECT name FROM coders").fetchall() == [("anouk",)]
        tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "memos" not in tables


def _project_at(
    revision: str, tmp_path: Path, request: pytest.FixtureRequest, kind: str, rows: str
) -> str:
    """The URL of a project made at an older revision (PostgreSQL then upgraded, as
    `workbench db upgrade` does; SQLite is upgraded when opened): coder 1 'anouk',
    document 1 'R01', tree 1 'joint', and `rows`, SQL statements with {at} for a time."""
    from alembic import command

    from workbench.storage.engine import make_engine, to_url

    url = (
        to_url(str(tmp_path / f"at{revision}.db"))
        if kind == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    at = "'2026-02-03 04:05:06'" if kind == "sqlite" else "'2026-02-03 04:05:06+00'"
    engine = make_engine(url)
    config = migrate._config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for sql in (
            "INSERT INTO coders (id, name, created_at) VALUES (1, 'anouk', {at})",
            "INSERT INTO documents (id, name, text, length, source_name, checksum, imported_at)"
            " VALUES (1, 'R01', 'Goed, dank u.', 13, 'R01.txt', 'x', {at})",
            "INSERT INTO code_trees (id, name, created_at) VALUES (1, 'joint', {at})",
            *rows.split(";"),
        ):
            connection.execute(text(sql.format(at=at)))
    if kind == "postgres":
        migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_project_at_0005_keeps_its_codings_and_gains_their_dates(
    tmp_path: Path, request: pytest.FixtureRequest, kind: str
) -> None:
    """A project made before codings had dates of their own opens with its quotations as
    they were (PostgreSQL after `workbench db upgrade`); an export dates their codings
    with the quotation's date, and the text's bounds are still enforced (the upgrade
    keeps the quotations' triggers)."""
    from workbench.services.refi_export import export_project

    url = _project_at(
        "0005",
        tmp_path,
        request,
        kind,
        "INSERT INTO codes (id, tree_id, name, definition, codable)"
        " VALUES (1, 1, 'goed', '', true);"
        'INSERT INTO quotations (id, document_id, start, "end", coder_id, comment, created_at)'
        " VALUES (1, 1, 0, 4, 1, '', {at});"
        "INSERT INTO quotation_codes (quotation_id, code_id, document_id, coder_id)"
        " VALUES (1, 1, 1, 1)",
    )
    with open_project(url) as project:
        assert migrate.current_revision(project.engine) == migrate.HEAD_REVISION
        with project.unit_of_work() as session:
            quotation = repo.get_quotation(session, 1)
            assert (quotation.code_ids, quotation.coded_at, quotation.modified_at) == (
                (1,),
                (None,),
                None,
            )
        export_project(project, tmp_path / "at5.qdpx", tree="joint")
        with pytest.raises(DBAPIError), project.unit_of_work() as session:
            session.execute(text('UPDATE quotations SET "end" = 99 WHERE id = 1'))
    with zipfile.ZipFile(tmp_path / "at5.qdpx") as archive:
        xml = archive.read("project.qde").decode("utf-8")
    assert xml.count('creationDateTime="2026-02-03T04:05:06Z"') == 2  # selection, coding


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_project_at_0006_counts_its_categories_the_same_after_the_upgrade(
    tmp_path: Path, request: pytest.FixtureRequest, kind: str
) -> None:
    """The upgrade that gives quotations their code sets fills them in: a quotation with
    two codes of one category still counts once in it."""
    from workbench.services.counts import counts_table

    url = _project_at(
        "0006",
        tmp_path,
        request,
        kind,
        "INSERT INTO codes (id, tree_id, parent_id, name, number, definition, codable)"
        " VALUES (1, 1, NULL, 'group', NULL, '', false), (2, 1, 1, 'goed', 2, '', true),"
        " (3, 1, 1, 'dank', 3, '', true);"
        'INSERT INTO quotations (id, document_id, start, "end", coder_id, comment, created_at)'
        " VALUES (1, 1, 0, 4, 1, '', {at}), (2, 1, 6, 10, 1, '', {at});"
        "INSERT INTO quotation_codes (quotation_id, code_id, document_id, coder_id)"
        " VALUES (1, 2, 1, 1), (1, 3, 1, 1), (2, 3, 1, 1)",
    )
    with open_project(url) as project:
        frame = counts_table(project, tree="joint")
    assert dict(zip(frame["code"].str.strip(), frame["citations"], strict=True)) == {
        "group": 2,
        "goed": 1,
        "dank": 2,
        "Total": 3,
    }


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_project_at_0007_keeps_its_speaker_turns_after_the_upgrade(
    tmp_path: Path, request: pytest.FixtureRequest, kind: str
) -> None:
    """The upgrade that packs each document's turns into one value keeps them: the
    document shows the same turns, and a quotation still has its speaker."""
    from workbench.domain.model import Turn

    url = _project_at(
        "0007",
        tmp_path,
        request,
        kind,
        'INSERT INTO turns (document_id, start, "end", speaker)'
        " VALUES (1, 0, 5, 'I'), (1, 6, 13, 'R');"
        'INSERT INTO quotations (id, document_id, start, "end", coder_id, comment, created_at)'
        " VALUES (1, 1, 7, 10, 1, '', {at}), (2, 1, 5, 6, 1, '', {at})",
    )
    with open_project(url) as project, project.unit_of_work() as session:
        assert repo.get_document(session, 1).turns == (Turn(0, 5, "I"), Turn(6, 13, "R"))
        assert repo.quotation_turns(session, [1, 2]) == {1: (6, 13, "R")}
        assert repo.speakers_by_document(session, [1]) == {1: {"I", "R"}}


def test_the_head_revision_constant_is_alembics_head() -> None:
    """Opening an up-to-date project compares with the constant, without loading alembic."""
    assert migrate.head_revision() == migrate.HEAD_REVISION
