"""Merging two coders' code trees, on SQLite and PostgreSQL: a realistic Dutch variant of
the shipped tree, with renamed, reordered, misspelled, split and extra codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPOSITORY
from tests.helpers import INTERVIEW, write
from workbench.domain.errors import InvalidInput, NotFound
from workbench.merge.plan import plan_csv, read_plan
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.history import undo
from workbench.services.tree_merge import apply_plan, propose_plan, trees_from_project
from workbench.storage.project import Project

TWO = ["anouk", "bart"]
SHIPPED = REPOSITORY / "codebooks" / "collectief-werken.codebook"

# Bart's own tree, built blind: other words, another order, a typo, a split, an extra code.
BART = """\
tree: bart

* Kansen en belemmeringen
  - Belemeringen collectief werken
    definition: Wat collectief werken in de weg staat: tijd, caseload, registratie.
  - Kansen en mogelijkheden voor collectief werken
* Kennis, houding en vaardigheden
  - Kaart, sociale
  - Benodigde kennis voor collectief werken
- Eigen ervaring: voorbeelden met bewoners
- Eigen ervaring: voorbeelden met partners
- Bijvangst
"""


@pytest.fixture
def trees(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, SHIPPED, tree="anouk")
    load_codebook(project, write(tmp_path / "bart.codebook", BART))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    code_passage(project, "R01", ["2", "20"], span=(0, 10), coder="anouk", tree="anouk")
    code_passage(project, "R01", ["24"], span=(20, 40), coder="anouk", tree="anouk")
    code_passage(
        project, "R01", ["Belemeringen collectief werken"], span=(0, 12), coder="bart", tree="bart"
    )
    code_passage(project, "R01", ["Bijvangst"], span=(50, 60), coder="bart", tree="bart")
    code_passage(project, "R01", ["Kaart, sociale"], span=(0, 12), coder="bart", tree="bart")
    return project


def pairs(rows: list) -> dict[str, tuple[str, str, str]]:  # type: ignore[type-arg]
    return {r.b_code: (r.a_code, r.match, r.decision) for r in rows if r.b_code}


def test_proposal_pairs_the_codes_a_researcher_would(trees: Project) -> None:
    rows = propose_plan(trees_from_project(trees, TWO))
    found = pairs(rows)
    assert found["Kaart, sociale"] == ("Sociale kaart", "identical", "merge")
    assert found["Belemeringen collectief werken"] == (
        "Belemmeringen collectief werken",
        "likely",
        "merge",
    )
    assert found["Kansen en mogelijkheden voor collectief werken"][:2] == (
        "Kansen/mogelijkheden collectief werken",
        "likely",
    )
    assert (
        found["Benodigde kennis voor collectief werken"][0] == "Kennis benodigd collectief werken"
    )
    assert found["Bijvangst"] == ("", "none", "keep")
    assert found["Kennis, houding en vaardigheden"][0] == "Q6 Kennis, houding en vaardigheden"
    # Bart split code 24 in two: the pair is offered for review and the split is flagged.
    (split,) = [r for r in rows if r.a_code.startswith("Voorbeelden collectief werken uit")]
    assert split.match == "possible" and split.decision == "keep"
    assert "one-to-many" in split.note and "Eigen ervaring: voorbeelden met" in split.note
    # Every code of both trees has exactly one row.
    assert sum(1 for r in rows if r.a_code) == 31 and sum(1 for r in rows if r.b_code) == 9


def test_applying_codings_every_quotation_and_undo_takes_it_back(trees: Project) -> None:
    before = codings_table(trees, tree="anouk") + codings_table(trees, tree="bart")
    rows = propose_plan(trees_from_project(trees, TWO))
    result = apply_plan(trees, TWO, rows, coder="anouk")
    assert result.quotations == 4  # every quotation of both coders
    joint = {line.code.name: line.citations for line in show_tree(trees, tree="joint")}
    assert joint["Belemmeringen collectief werken"] == 2  # anouk's and bart's
    assert joint["Sociale kaart"] == 2
    assert joint["Bijvangst"] == 1
    for coder in ("anouk", "bart"):
        own = [r for r in codings_table(trees, tree="joint", coders=[coder])]
        assert {(r["start"], r["end"]) for r in own} == {
            (r["start"], r["end"]) for r in before if r["coder"] == coder
        }
    assert codings_table(trees, tree="anouk") + codings_table(trees, tree="bart") == before
    undo(trees, "anouk")
    assert show_tree(trees, tree="joint") == []


def test_a_plan_edited_by_hand_is_applied(trees: Project, tmp_path: Path) -> None:
    rows = propose_plan(trees_from_project(trees, TWO))
    text = plan_csv(rows, TWO)
    # By hand: give the merged "Sociale kaart" another name, and keep the two
    # "Kansen" codes apart after all.
    lines = []
    for line in text.splitlines():
        if line.startswith('Sociale kaart,"Kaart, sociale",'):
            line = line.replace(",merge,Sociale kaart,", ",merge,De sociale kaart,")
        if line.startswith("Kansen/mogelijkheden collectief werken,Kansen en"):
            line = line.replace(",merge,Kansen/mogelijkheden collectief werken,", ",keep,,")
        lines.append(line)
    assert lines != text.splitlines()
    text = "\n".join(lines)
    edited = text.splitlines()
    plan = write(tmp_path / "plan.csv", "\n".join(edited) + "\n")
    apply_plan(trees, TWO, read_plan(plan.read_text(), plan.name, TWO), source=plan.name)
    names = {line.code.name for line in show_tree(trees, tree="joint")}
    assert "De sociale kaart" in names and "Sociale kaart" not in names
    assert {
        "Kansen/mogelijkheden collectief werken",
        "Kansen en mogelijkheden voor collectief werken",
    } <= names


def test_bad_plans_are_refused_with_the_row(trees: Project, tmp_path: Path) -> None:
    rows = propose_plan(trees_from_project(trees, TWO))
    text = plan_csv(rows, TWO)
    lines = text.splitlines()
    lines.append("Onbekende code,,0,,none,,keep,Onbekende code,,")
    lines.append("Sociale kaart,,0,,none,,keep,Sociale kaart 2,,")
    plan = write(tmp_path / "bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(InvalidInput) as raised:
        apply_plan(trees, TWO, read_plan(plan.read_text(), plan.name, TWO), source=plan.name)
    message = str(raised.value)
    assert (
        f"bad.csv, row {len(lines) - 1}: 'Onbekende code' is not a code of tree 'anouk'" in message
    )
    assert f"bad.csv, row {len(lines)}: anouk's code 'Sociale kaart' is already decided" in message
    with pytest.raises(NotFound):  # nothing was created
        show_tree(trees, tree="joint")
