"""Three coders' trees merged as a team would, on SQLite and PostgreSQL, through the
command line: synonyms that no name comparison pairs but that the coders applied to the
same passages, a many-to-one fold written into the plan by hand, clashing numbers, a
catch-all code; the edited plan survives the plan step run again, and undo restores
the three trees exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner
from tests.helpers import write
from workbench.domain.errors import Conflict
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.codebook_edits import new_tree
from workbench.services.codebook_history import catch_all_quotations, set_catch_all
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.history import redo, undo
from workbench.services.project import tree_names
from workbench.services.tree_merge import apply_plan, propose_plan, trees_from_project
from workbench.storage.project import Project

THREE = ["anouk", "bart", "carla"]
TREES = {
    "anouk": ["12 Kansen", "2 Belemmeringen", "5 Tijdsdruk", "30 Bijvangst"],
    "bart": ["12 Mogelijkheden", "3 Obstakels", "5 Netwerk", "31 Bijvangst"],
    "carla": ["40 Kansen", "2 Hindernissen", "5 Werkdruk", "6 Caseload"],
}
# Who coded what where, in one interview of 200 characters.
CODINGS = [
    ("anouk", "Kansen", (0, 40)),
    ("bart", "Mogelijkheden", (2, 40)),
    ("carla", "Kansen", (0, 38)),
    ("anouk", "Belemmeringen", (50, 90)),
    ("bart", "Obstakels", (50, 88)),
    ("carla", "Hindernissen", (52, 90)),
    ("anouk", "Tijdsdruk", (100, 160)),
    ("carla", "Werkdruk", (100, 135)),
    ("carla", "Caseload", (135, 160)),
    ("anouk", "Bijvangst", (170, 190)),
    ("bart", "Bijvangst", (172, 190)),
]
TEXT = ("I: Vertel eens. R: " + "Dat je samen dingen oppakt met de buurt. " * 5)[:200] + "\n"


def build_three(project: Project, folder: Path) -> Project:
    """The three coders' trees and codings, in `project`; anouk's tree is the default."""
    new_tree(project, "anouk")
    for coder, codes in TREES.items():
        lines = [f"tree: {coder}", ""] + [f"- {code}" for code in codes]
        load_codebook(project, write(folder / f"{coder}.codebook", "\n".join(lines) + "\n"))
    import_transcripts(project, [write(folder / "R01.txt", TEXT)])
    for coder, code, span in CODINGS:
        code_passage(project, "R01", [code], span=span, coder=coder, tree=coder)
    return project


@pytest.fixture
def three(project: Project, tmp_path: Path) -> Project:
    set_catch_all(build_three(project, tmp_path), "Bijvangst", tree="anouk")
    return project


def state(project: Project) -> Any:
    """Everything of the three trees a user sees: codes with numbers and counts, codings."""
    return [
        (
            [
                (line.code.number, line.code.name, line.citations)
                for line in show_tree(project, tree=t)
            ],
            sorted(
                (r["coder"], r["start"], r["end"], r["code"])
                for r in codings_table(project, tree=t)
            ),
        )
        for t in THREE
    ]


def rows(plan: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(plan.read_text(encoding="utf-8"))))


def test_three_trees_merge_from_the_coded_text(
    three: Project, project_location: str, run: Runner, tmp_path: Path
) -> None:
    before = state(three)
    default = [line.code.name for line in show_tree(three)]  # the default tree's codes
    merge = ["--project", project_location, "codebook", "merge", "-c", "anouk", "-c", "bart"]
    merge += ["-c", "carla", "--plan", "plan.csv"]
    proposed = run(*merge)
    assert proposed.code == 0, proposed.stderr
    plan = tmp_path / "plan.csv"
    found = {r["anouk"] or r["bart"] or r["carla"]: r for r in rows(plan)}
    # The synonyms are proposed from the passages the coders shared.
    kansen = found["Kansen"]
    assert (kansen["bart"], kansen["carla"], kansen["decision"]) == (
        "Mogelijkheden",
        "Kansen",
        "merge",
    )
    assert "same passages" in kansen["reason"] and float(kansen["shared_text"]) > 0.9
    obstacles = found["Belemmeringen"]
    assert (obstacles["bart"], obstacles["carla"]) == ("Obstakels", "Hindernissen")
    assert obstacles["decision"] == "merge" and obstacles["reason"] == "same passages"
    # Carla split Tijdsdruk in two: one half is proposed, the other flagged.
    time = found["Tijdsdruk"]
    assert time["decision"] == "merge" and "one-to-many" in time["note"]
    other = "Caseload" if time["carla"] == "Werkdruk" else "Werkdruk"
    assert f"'{other}'" in time["note"]
    # By hand: the other half goes into Tijdsdruk too (many to one).
    text = plan.read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if x.startswith(f",,{other},")]
    cells = next(csv.reader([line]))
    cells[7], cells[8] = "merge", "Tijdsdruk"
    edited = text.replace(line, ",".join(cells))
    plan.write_text(edited, encoding="utf-8")

    # The plan step again does not touch the edited plan ...
    again = run(*merge)
    assert again.code != 0 and "plan.csv exists already and was not overwritten" in again.stderr
    assert plan.read_text(encoding="utf-8") == edited
    # ... and with --out builds the joint tree from it as edited, reporting renumbering.
    out = run(*merge, "--out", "joint.codebook")
    assert out.code == 0, out.stderr
    assert plan.read_text(encoding="utf-8") == edited
    renumbered = (
        "renumbered 'Netwerk': bart's number 5 for 'Netwerk' is taken by 'Tijdsdruk'; now 31"
    )
    assert renumbered in out.stderr
    joint_file = (tmp_path / "joint.codebook").read_text(encoding="utf-8")
    assert "Caseload" not in joint_file and "Werkdruk" not in joint_file

    applied = run(*merge, "--apply", env={"WORKBENCH_CODER": "anouk"})
    assert applied.code == 0, applied.stderr
    assert renumbered in applied.stderr
    assert "'Bijvangst' is the joint tree's catch-all code" in applied.stderr
    assert "11 quotation(s) coded" in applied.stderr
    joint = {
        line.code.name: (line.code.number, line.citations)
        for line in show_tree(three, tree="joint")
    }
    assert joint == {
        "Kansen": (12, 3),
        "Belemmeringen": (2, 3),
        "Tijdsdruk": (5, 3),
        "Bijvangst": (30, 2),
        "Netwerk": (31, 0),
    }
    # Every quotation of every coder is in the joint tree, where its code went.
    for coder in THREE:
        own = {(r["start"], r["end"]) for r in codings_table(three, tree=coder, coders=[coder])}
        there = {(r["start"], r["end"]) for r in codings_table(three, tree="joint", coders=[coder])}
        assert there == own
    code, quotations = catch_all_quotations(three, tree="joint")
    assert code.name == "Bijvangst" and len(quotations) == 2
    assert state(three) == before  # the coders' own trees are as they were

    assert {line.code.name for line in show_tree(three)} == set(joint)  # the default now
    undo(three, "anouk")
    assert state(three) == before
    assert [line.code.name for line in show_tree(three)] == default  # the default again
    redo(three, "anouk")
    assert {line.code.name for line in show_tree(three)} == set(joint)
    assert catch_all_quotations(three)[0].name == "Bijvangst"
    undo(three, "anouk")
    assert show_tree(three, tree="joint") == []
    assert catch_all_quotations(three, tree="anouk")[0].name == "Bijvangst"
    assert set(THREE) <= set(tree_names(three))

    forced = run(*merge, "--force")
    assert forced.code == 0 and "wrote the proposed plan" in forced.stderr
    assert plan.read_text(encoding="utf-8") != edited


def test_undo_waits_for_a_later_merge_that_moved_the_default_tree(three: Project) -> None:
    apply_plan(three, THREE, propose_plan(trees_from_project(three, THREE)), coder="anouk")
    two = ["bart", "carla"]
    apply_plan(three, two, propose_plan(trees_from_project(three, two)), joint="bc", coder="bart")
    with pytest.raises(Conflict, match=r"operation \d+ by bart .*'default_tree' has changed"):
        undo(three, "anouk")
    assert {line.code.name for line in show_tree(three, tree="joint")}  # still there
    undo(three, "bart")
    undo(three, "anouk")
    assert show_tree(three, tree="joint") == []
