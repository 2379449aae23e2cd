"""Several coders in one project: no lost updates, refusals that name who changed what,
undo per coder (issue 18). The processes-at-once tests are in test_concurrency.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.changes import ChangeSet, QuotationRecord, Update
from workbench.domain.errors import Conflict
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.codebook_edits import add_code, merge_codes, rename_code, update_code
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.history import commit_change, undo
from workbench.services.project import open_project
from workbench.services.quotations import document_quotations, update_quotation
from workbench.storage import repositories as repo
from workbench.storage.project import Project
from workbench.storage.repositories.log import WRITE_LOCK


@pytest.fixture
def team(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    return project


def _code(project: Project, number: int) -> str:
    return next(line.code.name for line in show_tree(project) if line.code.number == number)


def test_a_rename_from_a_stale_view_is_refused_naming_the_other_coder(team: Project) -> None:
    seen = _code(team, 20)  # anouk opens the rename dialog on "Sociale kaart"
    rename_code(team, "20", "Sociale kaart van de wijk", coder="bart")  # bart is quicker
    with pytest.raises(Conflict) as refused:
        rename_code(team, "20", "Kaart", coder="anouk", expected={"name": seen})
    message = str(refused.value)
    assert "changed by bart" in message and "renamed 'Sociale kaart'" in message
    assert "nothing was changed" in message
    assert _code(team, 20) == "Sociale kaart van de wijk"  # bart's name stays


def test_a_definition_edit_from_a_stale_view_is_refused(team: Project) -> None:
    update_code(team, "12", coder="bart", definition="Kansen, door bart aangescherpt.")
    with pytest.raises(Conflict, match="changed by bart"):
        update_code(
            team, "12", coder="anouk", definition="Mijn versie.", expected={"definition": ""}
        )
    assert any(
        line.code.definition == "Kansen, door bart aangescherpt." for line in show_tree(team)
    )


def test_a_comment_edited_in_two_windows_keeps_the_first(team: Project) -> None:
    quotation = code_passage(team, "R01", ["2"], span=(0, 10), coder="anouk").quotation
    update_quotation(team, quotation.id, coder="anouk", comment="eerste venster", expected={})
    with pytest.raises(Conflict, match="comment is 'eerste venster'"):
        update_quotation(
            team, quotation.id, coder="anouk", comment="tweede venster", expected={"comment": ""}
        )
    (view,) = document_quotations(team, 1, coders=None)
    assert view.comment == "eerste venster"


def test_coding_prepared_before_a_merge_is_refused_naming_the_merge(team: Project) -> None:
    """The coding was prepared (code resolved) before bart's merge committed."""
    code_id = next(line.code.id for line in show_tree(team) if line.code.number == 20)
    code_passage(team, "R01", ["20"], span=(0, 10), coder="anouk")
    merge_codes(team, ["20"], "12", coder="bart")
    with team.unit_of_work() as session:
        anouk = repo.get_or_create_coder(session, "anouk").id
        record = QuotationRecord(None, 1, 20, 30, anouk, "", repo.now().isoformat(), (code_id,))
        with pytest.raises(Conflict) as refused:
            commit_change(
                session, anouk, "quotation.create", "coded", ChangeSet(added_quotations=(record,))
            )
    assert f"code {code_id} no longer exists" in str(refused.value)
    assert "changed by bart" in str(refused.value) and "merged 'Sociale kaart'" in str(
        refused.value
    )
    (view,) = document_quotations(team, 1, coders=None)  # only the first, now under 12
    assert [c.label for c in view.codes] == ["12 Kansen/mogelijkheden collectief werken"]


def test_undo_refuses_when_another_coders_later_change_depends_on_it(team: Project) -> None:
    add_code(team, "Bijvangst", coder="anouk")
    code_passage(team, "R01", ["Bijvangst"], span=(0, 10), coder="bart")
    with pytest.raises(Conflict) as refused:
        undo(team, "anouk")
    message = str(refused.value)
    assert "cannot undo 'added code 'Bijvangst''" in message or "Bijvangst" in message
    assert "by bart" in message and "coded R01 0:10" in message
    assert "Bijvangst" in [line.code.name for line in show_tree(team)]
    undo(team, "bart")  # bart takes his coding back: now anouk's undo goes through
    undo(team, "anouk")
    assert "Bijvangst" not in [line.code.name for line in show_tree(team)]


@pytest.mark.parametrize(
    ("new_name", "taken"), [("Bijvangst", "the name 'Bijvangst'"), ("Restpost", "the number 21")]
)
def test_undoing_a_merge_refuses_when_its_code_s_name_or_number_is_taken(
    team: Project, new_name: str, taken: str
) -> None:
    """anouk merges her new code away; bart adds a code that gets its name or its number;
    anouk's undo would bring back a second code of that name or number: it is refused,
    naming bart's code, and the tree stays as it is."""
    add_code(team, "Bijvangst", coder="anouk")  # number 21, the tree's highest
    code_passage(team, "R01", ["21"], span=(0, 10), coder="anouk")
    merge_codes(team, ["21"], "12", coder="anouk")
    bart = add_code(team, new_name, coder="bart")
    assert bart.number == 21
    before = [(line.code.number, line.code.name) for line in show_tree(team)]
    with pytest.raises(Conflict) as refused:
        undo(team, "anouk")
    message = str(refused.value)
    assert "cannot undo \"merged 'Bijvangst'" in message
    assert "by bart" in message and f"added code {new_name!r}" in message
    assert f"{taken} is taken: code {bart.id}" in message
    assert [(line.code.number, line.code.name) for line in show_tree(team)] == before
    undo(team, "bart")  # once bart's code is gone, anouk's merge undoes
    undo(team, "anouk")
    assert (21, "Bijvangst") in [(line.code.number, line.code.name) for line in show_tree(team)]


def test_two_edits_at_the_same_moment_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Both transactions read the same definition; the one that commits second is refused
    (it waits for the first's write lock, then finds the definition changed)."""
    with open_project(postgres_url) as project:
        load_codebook(project, small_codebook(tmp_path))
        code_id = next(line.code.id for line in show_tree(project) if line.code.number == 12)
        first_wrote = threading.Event()
        may_commit = threading.Event()
        errors: list[Exception] = []

        def edit(coder: str, text: str, hold: bool) -> None:
            try:
                with project.unit_of_work() as session:
                    who = repo.get_or_create_coder(session, coder).id
                    before = {"definition": "Opportunities."}
                    change = Update(code_id, before, {"definition": text})
                    if not hold:
                        first_wrote.wait(10)
                    commit_change(
                        session,
                        who,
                        "code.update",
                        f"{coder} edits",
                        ChangeSet(code_updates=(change,)),
                    )
                    if hold:
                        first_wrote.set()
                        may_commit.wait(10)
            except Exception as error:
                errors.append(error)

        first = threading.Thread(target=edit, args=("anouk", "Door anouk.", True))
        second = threading.Thread(target=edit, args=("bart", "Door bart.", False))
        first.start()
        second.start()
        first_wrote.wait(10)
        second.join(1.0)
        assert second.is_alive()  # bart's edit waits for anouk's transaction
        may_commit.set()
        first.join(10)
        second.join(10)
        assert len(errors) == 1 and isinstance(errors[0], Conflict)
        assert "changed by anouk" in str(errors[0])
        assert any(line.code.definition == "Door anouk." for line in show_tree(project))


def _terminate_when_waiting(admin: Any, database: str, done: threading.Event) -> None:
    """Kill the server process of the connection that waits for the write lock."""
    while not done.is_set():
        with admin.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND wait_event_type = 'Lock' "
                    "AND wait_event = 'advisory'"
                ),
                {"db": database},
            ).all()
        if killed:
            return
        time.sleep(0.05)


def test_the_server_going_away_mid_command_is_a_message_and_nothing_is_saved(
    postgres_url: str, postgres_admin: Any, tmp_path: Path, run: Runner
) -> None:
    with open_project(postgres_url) as project:
        load_codebook(project, small_codebook(tmp_path))
        import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    database = make_url(postgres_url).database
    holder = create_engine(postgres_url)
    with holder.connect() as blocking:  # another session holds the write lock
        blocking.execute(text("SELECT pg_advisory_lock(:key)"), {"key": WRITE_LOCK})
        done = threading.Event()
        killer = threading.Thread(
            target=_terminate_when_waiting, args=(postgres_admin, database, done)
        )
        killer.start()
        result = run(
            "--project", postgres_url, "code", "R01", "2", "--span", "0:10", "--coder", "anouk"
        )
        done.set()
        killer.join(10)
    holder.dispose()
    assert result.code == 1
    assert "lost the connection to database" in result.stderr
    assert "nothing of this action was saved" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    with open_project(postgres_url) as project:
        assert document_quotations(project, 1, coders=None) == []  # nothing half-applied
    again = run("--project", postgres_url, "code", "R01", "2", "--span", "0:10", "--coder", "anouk")
    assert again.code == 0, again.stderr  # the server is back: the same command works


def test_an_unreachable_server_is_a_message(run: Runner) -> None:
    result = run("--project", "postgresql+psycopg://nobody@127.0.0.1:1/none", "documents")
    assert result.code == 1
    assert "cannot open project" in result.stderr and "Traceback" not in result.stderr
