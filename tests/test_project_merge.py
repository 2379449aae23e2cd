"""Bringing another coder's project in (`merge-project`), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import InvalidInput, NotFound
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.codebook_history import catch_all_quotations, set_catch_all
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts, list_documents
from workbench.services.history import undo
from workbench.services.project import open_project, tree_names
from workbench.services.project_merge import merge_project
from workbench.services.quotations import document_quotations, update_quotation
from workbench.services.tree_merge import apply_plan, propose_plan, trees_from_project
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@pytest.fixture
def other(tmp_path: Path) -> str:
    """Bart's own project: the same R01, a new R02, and an R03 with other text."""
    folder = tmp_path / "bart"
    folder.mkdir()
    path = str(tmp_path / "bart.db")
    with open_project(path) as theirs:
        load_codebook(theirs, small_codebook(tmp_path))
        import_transcripts(
            theirs,
            [
                write(folder / "R01.txt", INTERVIEW),
                write(folder / "R02.txt", "I: Tweede gesprek.\nR: Goed.\n"),
                write(folder / "R03.txt", "I: Andere tekst.\n"),
            ],
        )
        code_passage(theirs, "R01", ["2", "12"], span=(0, 10), coder="bart")
        code_passage(theirs, "R02", ["20"], span=(3, 10), coder="bart")
        code_passage(theirs, "R03", ["9"], span=(0, 5), coder="bart")
    return path


@pytest.fixture
def ours(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path), tree="anouk")
    folder = tmp_path / "anouk"
    folder.mkdir()
    import_transcripts(
        project,
        [write(folder / "R01.txt", INTERVIEW), write(folder / "R03.txt", "I: Mijn tekst.\n")],
    )
    code_passage(project, "R01", ["2"], span=(0, 12), coder="anouk", tree="anouk")
    return project


def test_documents_quotations_and_tree_come_in(ours: Project, other: str) -> None:
    report = merge_project(ours, other, coder="anouk")
    assert report.tree == "bart" and report.coders == ["bart"]
    assert report.matched == ["R01 <- R01"] and report.added == ["R02"]
    assert len(report.differing) == 1 and report.differing[0].startswith("R03: same name")
    assert report.quotations == 2
    assert [d.name for d in list_documents(ours)] == ["R01", "R02", "R03"]
    rows = codings_table(ours, tree="bart", coders=["bart"])
    assert {(r["document"], r["start"], r["end"], r["code"]) for r in rows} == {
        ("R01", 0, 10, "Belemmeringen collectief werken"),
        ("R01", 0, 10, "Kansen/mogelijkheden collectief werken"),
        ("R02", 3, 10, "Sociale kaart"),
    }
    # ... and the two trees merge as any two trees do.
    plan = propose_plan(trees_from_project(ours, ["anouk", "bart"]))
    result = apply_plan(ours, ["anouk", "bart"], plan, coder="anouk")
    assert result.quotations == 3
    joint = {line.code.name: line.citations for line in show_tree(ours, tree="joint")}
    assert joint["Belemmeringen collectief werken"] == 2


def test_undo_takes_the_quotations_and_tree_out_again(ours: Project, other: str) -> None:
    merge_project(ours, other, coder="anouk")
    undo(ours, "anouk")
    assert codings_table(ours, coders=["bart"], tree="anouk") == []
    assert show_tree(ours, tree="bart") == []


def test_a_tree_name_that_is_taken_is_refused(ours: Project, other: str) -> None:
    with pytest.raises(InvalidInput, match=r"tree named 'anouk' already.* --as joint=NAME"):
        merge_project(ours, other, names=["anouk"])
    assert tree_names(ours) == ["anouk"]  # nothing half done


@pytest.fixture
def two_trees(other: str, tmp_path: Path) -> str:
    """Bart's project with a second tree, coded too, and a catch-all code in each."""
    with open_project(other) as theirs:
        load_codebook(theirs, write(tmp_path / "extra.codebook", EXTRA), tree="extra")
        code_passage(theirs, "R01", ["Restpost"], span=(20, 30), coder="bart", tree="extra")
        set_catch_all(theirs, "Restpost", tree="extra")
        set_catch_all(theirs, "20")
    return other


EXTRA = """\
tree: extra

- 7 Werkdruk
- 8 Restpost
"""


def test_every_tree_comes_in_with_its_catch_all(ours: Project, two_trees: str) -> None:
    report = merge_project(ours, two_trees, coder="anouk")
    assert report.trees == ["bart", "extra"]
    assert report.brought == ["joint -> bart"]
    assert report.catch_all == ["bart: Sociale kaart", "extra: Restpost"]
    assert report.quotations == 3
    assert tree_names(ours) == ["anouk", "bart", "extra"]
    extra = {
        line.code.name: (line.code.number, line.citations) for line in show_tree(ours, tree="extra")
    }
    assert extra == {"Werkdruk": (7, 0), "Restpost": (8, 1)}
    for tree, code in (("bart", "Sociale kaart"), ("extra", "Restpost")):
        marked, _ = catch_all_quotations(ours, tree=tree)
        assert marked.name == code
    undo(ours, "anouk")
    assert show_tree(ours, tree="bart") == [] and show_tree(ours, tree="extra") == []


def test_one_tree_chosen_and_named(ours: Project, two_trees: str) -> None:
    report = merge_project(ours, two_trees, trees=["extra"], names=["bart-extra"])
    assert report.trees == ["bart-extra"] and report.quotations == 1
    assert report.left_out == 3  # bart's quotations of the tree left behind
    assert [line.code.name for line in show_tree(ours, tree="bart-extra")] == [
        "Werkdruk",
        "Restpost",
    ]
    assert "bart" not in tree_names(ours)


def test_tree_choices_and_names_that_cannot_be(ours: Project, two_trees: str) -> None:
    with pytest.raises(NotFound, match=r"has no code tree 'nergens' .trees: extra, joint"):
        merge_project(ours, two_trees, trees=["nergens"])
    with pytest.raises(InvalidInput, match=r"2 trees come in .joint, extra.; name each"):
        merge_project(ours, two_trees, names=["samen"])
    with pytest.raises(InvalidInput, match="would both be called 'x'"):
        merge_project(ours, two_trees, names=["joint=x", "extra=x"])
    with pytest.raises(InvalidInput, match="'andere' is not a tree brought in"):
        merge_project(ours, two_trees, names=["andere=y"])
    assert tree_names(ours) == ["anouk"]


def test_choosing_and_naming_trees_from_the_command_line(
    ours: Project, two_trees: str, project_location: str, run: Runner
) -> None:
    here = ["--project", project_location, "merge-project", two_trees, "--coder", "anouk"]
    taken = run(*here, "--as", "joint=anouk")
    assert taken.code == 1 and "tree named 'anouk' already" in taken.stderr
    result = run(*here, "--tree", "joint", "--as", "bart-eigen")
    assert result.code == 0, result.stderr
    assert "tree: joint -> bart-eigen" in result.stderr
    assert "catch-all: bart-eigen: Sociale kaart" in result.stderr
    assert "the tree(s) bart-eigen;" in result.stderr
    assert tree_names(ours) == ["anouk", "bart-eigen"]
    helped = run("merge-project", "--help")
    assert "--tree NAME" in helped.stdout and "--as [THEIRS=]NAME" in helped.stdout


def test_quotations_come_in_with_their_coding_dates_and_last_change(
    ours: Project, other: str
) -> None:
    with open_project(other) as theirs:
        (quotation,) = document_quotations(theirs, 2, coders=None)
        update_quotation(theirs, quotation.id, coder="bart", comment="nakijken")
        with theirs.unit_of_work() as session:
            before = repo.get_quotation(session, quotation.id)
    merge_project(ours, other, coder="anouk")
    with ours.unit_of_work() as session:
        document_id = repo.find_document_id(session, "R02")
        (after,) = repo.find_quotations(session, document_id=document_id)
        bart = repo.find_coder(session, "bart").id
    assert after.comment == "nakijken" and after.modified_by == bart
    # (bart's project is a SQLite file, ours may be PostgreSQL: compared in UTC.)
    assert repo.iso(after.modified_at) == repo.iso(before.modified_at) is not None
    assert [repo.iso(w) for w in after.coded_at] == [repo.iso(w) for w in before.coded_at]
    assert after.coded_at[0] is not None
