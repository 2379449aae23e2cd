"""Merge plans over three trees, without a database: the coded-text evidence, the
groups it proposes, many-to-one folds, clashing numbers, and plans of the older layout."""

from __future__ import annotations

import random

import pytest

from workbench.domain.errors import InvalidInput
from workbench.merge.align import Node, group
from workbench.merge.plan import PlanRow, check, joint_tree, plan_csv, propose, read_plan
from workbench.stats.overlap import shared_text

NAMES = ["anouk", "bart", "carla"]


def node(name: str, number: int | None = None, parent: str | None = None) -> Node:
    return Node(name, number, "", parent, True, None)


def test_shared_text_against_sets_of_characters() -> None:
    rng = random.Random(15)
    trees = []
    for _ in range(3):
        tree: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for code in ("X", "Y", "Z"):
            for doc in (1, 2):
                starts = [rng.randrange(0, 300) for _ in range(rng.randrange(0, 4))]
                spans = [(s, s + rng.randrange(1, 60)) for s in starts]
                if spans:
                    tree.setdefault(code, {})[doc] = spans
        trees.append(tree)
    found = shared_text(trees)

    def chars(t: int, code: str) -> set[tuple[int, int]]:
        docs = trees[t].get(code, {})
        return {(d, c) for d, spans in docs.items() for s, e in spans for c in range(s, e)}

    expected = {}
    for i in range(3):
        for j in range(i + 1, 3):
            for x in trees[i]:
                for y in trees[j]:
                    a, b = chars(i, x), chars(j, y)
                    expected[(i, x, j, y)] = len(a & b) / min(len(a), len(b))
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == pytest.approx(value), key


# Three coders' trees: synonyms no string metric pairs, which they coded on the same text.
ANOUK = [node("Kansen", 12), node("Belemmeringen", 2), node("Tijdsdruk", 5), node("Bijvangst", 30)]
BART = [node("Mogelijkheden", 12), node("Obstakels", 3), node("Bijvangst", 31)]
CARLA = [node("Kansen", 40), node("Hindernissen", 2), node("Werkdruk", 5), node("Caseload", 6)]
TREES = [ANOUK, BART, CARLA]
EVIDENCE = {
    (0, "Kansen", 1, "Mogelijkheden"): 0.9,
    (0, "Belemmeringen", 1, "Obstakels"): 0.75,
    (0, "Belemmeringen", 2, "Hindernissen"): 0.8,
    (1, "Obstakels", 2, "Hindernissen"): 0.7,
    (0, "Tijdsdruk", 2, "Werkdruk"): 0.6,
    (0, "Tijdsdruk", 2, "Caseload"): 0.55,
    (0, "Kansen", 2, "Kansen"): 0.9,
    (0, "Kansen", 1, "Obstakels"): 0.1,
}


def rows_by_first() -> dict[str, PlanRow]:
    rows = propose(group(TREES, NAMES, EVIDENCE), TREES, NAMES)
    return {next(c for c in r.codes if c): r for r in rows}


def test_the_coded_text_proposes_what_the_names_cannot() -> None:
    rows = rows_by_first()
    kansen = rows["Kansen"]
    assert kansen.codes == ("Kansen", "Mogelijkheden", "Kansen")
    assert kansen.decision == "merge" and "same passages" in kansen.reason
    obstacles = rows["Belemmeringen"]
    assert obstacles.codes == ("Belemmeringen", "Obstakels", "Hindernissen")
    assert (
        obstacles.reason == "same passages" and obstacles.shared_text == 0.75
    )  # the weaker of the two links
    # Carla coded Tijdsdruk's passages as two codes: one is proposed, the split flagged.
    time = rows["Tijdsdruk"]
    assert time.codes == ("Tijdsdruk", "", "Werkdruk")
    assert "one-to-many" in time.note and "'Caseload'" in time.note
    assert rows["Caseload"].reason == "only in carla"
    # Without the coded text, none of the synonyms is proposed.
    bare = propose(group(TREES, NAMES, {}), TREES, NAMES)
    assert all(r.decision == "keep" for r in bare if "Mogelijkheden" in r.codes)


def test_a_many_to_one_fold_and_clashing_numbers() -> None:
    rows = propose(group(TREES, NAMES, EVIDENCE), TREES, NAMES)
    text = plan_csv(rows, NAMES)
    assert text.splitlines()[0] == (
        "anouk,bart,carla,score,shared_text,match,reason,decision,merged_name,parent,note"
    )
    # By hand: Carla's Caseload goes into Tijdsdruk too (the same joint name, merge).
    text = text.replace(
        ",,Caseload,0,,none,only in carla,keep,Caseload,,",
        ",,Caseload,0,,none,only in carla,merge,Tijdsdruk,,",
    )
    edited = read_plan(text, "plan.csv", NAMES)
    check(edited, TREES, NAMES, "plan.csv")
    joint = joint_tree(edited, TREES, NAMES)
    numbers = {spec.name: spec.number for spec in joint.roots}
    assert "Caseload" not in numbers
    # Kansen 12 (anouk's), Belemmeringen 2, Tijdsdruk 5; Bart's Bijvangst 31 is free but
    # anouk's 30 comes first. Obstakels has no code of its own: nothing clashes ...
    assert numbers == {"Kansen": 12, "Belemmeringen": 2, "Tijdsdruk": 5, "Bijvangst": 30}
    assert joint.renumbered == []
    # ... until two joint codes bring the same number: the second is renumbered, and said.
    text = text.replace("Belemmeringen,Obstakels,Hindernissen,", "Belemmeringen,,,").replace(
        "Tijdsdruk,,Werkdruk,", "Tijdsdruk,Obstakels,Werkdruk,"
    )
    apart = read_plan(text + ",,Hindernissen,0,,none,,keep,Hindernissen,,\n", "plan.csv", NAMES)
    check(apart, TREES, NAMES, "plan.csv")
    joint = joint_tree(apart, TREES, NAMES)
    numbers = {spec.name: spec.number for spec in joint.roots}
    assert numbers["Belemmeringen"] == 2 and numbers["Hindernissen"] == 31
    assert joint.renumbered == [
        "'Hindernissen': carla's number 2 for 'Hindernissen' is taken by 'Belemmeringen'; now 31"
    ]


def test_problems_of_a_plan_name_their_rows() -> None:
    rows = propose(group(TREES, NAMES, EVIDENCE), TREES, NAMES)
    lines = [line for line in plan_csv(rows, NAMES).splitlines() if "Caseload" not in line]
    lines = [line.replace(",Bijvangst,,", ",Bijvangst,Nergens,") for line in lines]
    lines.append("Onbekend,,,0,,,,keep,,,")
    lines.append(",Obstakels,,0,,,,keep,,,")
    lines.append(",,,0,,,,keep,Leeg,,")
    lines.append(",,Werkdruk,0,,,,samen,,,")
    with pytest.raises(InvalidInput) as raised:
        check(read_plan("\n".join(lines) + "\n", "plan.csv", NAMES), TREES, NAMES, "plan.csv")
    message = str(raised.value)
    n = len(lines)
    bijvangst = next(i for i, line in enumerate(lines, start=1) if "Nergens" in line)
    assert f"plan.csv, row {n - 3}: 'Onbekend' is not a code of tree 'anouk'" in message
    assert f"plan.csv, row {n - 2}: bart's code 'Obstakels' is already decided in row" in message
    assert f"plan.csv, row {n - 1}: keep needs a code of one of the trees" in message
    assert f"plan.csv, row {n}: decision 'samen' is not one of merge, keep, drop" in message
    assert f"plan.csv, row {bijvangst}: parent 'Nergens' is not in the joint tree" in message
    assert "no decision for carla's code(s) Caseload" in message


def test_a_plan_of_the_older_layout_still_loads() -> None:
    old = (
        "a_code,b_code,score,match,decision,merged_name,parent,note\n"
        "Kansen,Mogelijkheden,40,none,merge,Kansen,,\n"
        "Belemmeringen,Obstakels,30,none,keep_both,,,\n"
        "Tijdsdruk,,0,none,only_a,Tijd,,\n"
        "Bijvangst,Bijvangst,100,identical,merge,Bijvangst,,\n"
    )
    rows = read_plan(old, "old.csv", NAMES[:2])
    assert [r.decision for r in rows] == ["merge", "keep", "keep", "merge"]
    check(rows, TREES[:2], NAMES[:2], "old.csv")
    names = [spec.name for spec in joint_tree(rows, TREES[:2], NAMES[:2]).roots]
    assert names == ["Kansen", "Belemmeringen", "Obstakels", "Tijd", "Bijvangst"]
    with pytest.raises(InvalidInput, match=r"old\.csv is a plan for two trees"):
        read_plan(old, "old.csv", NAMES)
    with pytest.raises(InvalidInput, match="the plan's trees are anouk, bart, but this merge"):
        read_plan(plan_csv(rows, NAMES[:2]), "p.csv", ["anouk", "carla"])
