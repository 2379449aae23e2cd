"""Co-occurrence in the three units against a brute-force count over the codings."""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.services.codebook import load_codebook
from workbench.services.coding import import_codings
from workbench.services.cooccurrence import cooccurrence_table
from workbench.services.documents import import_transcripts
from workbench.storage.project import Project

CODES = ["2", "12", "20", "9"]


@pytest.fixture
def random_codings(project: Project, tmp_path: Path) -> tuple[Project, dict]:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(
        project,
        [write(tmp_path / f"R0{i}.txt", INTERVIEW + f"I: Dank {i}.\n") for i in range(1, 4)],
    )
    chance = random.Random(14)
    quotations: dict[tuple[str, int, int, str], set[str]] = {}
    for _ in range(40):
        start = chance.randrange(0, len(INTERVIEW) - 30)
        key = (
            f"R0{chance.randint(1, 3)}",
            start,
            start + chance.randint(5, 30),
            chance.choice(["anouk", "bart"]),
        )
        quotations.setdefault(key, set()).update(chance.sample(CODES, chance.randint(1, 2)))
    rows = "".join(
        f"{d},{s},{e},{c},{who}\n" for (d, s, e, who), codes in quotations.items() for c in codes
    )
    import_codings(project, write(tmp_path / "c.csv", "document,start,end,code,coder\n" + rows))
    return project, quotations


def _by_number(table: object) -> dict[tuple[str, str], tuple[int, float | None]]:
    cells = {}
    for a in table.codes:  # type: ignore[attr-defined]
        for b in table.codes:  # type: ignore[attr-defined]
            cell = table.cells[(a.id, b.id)]  # type: ignore[attr-defined]
            cells[(str(a.number), str(b.number))] = (cell.count, cell.c)
    return cells


def test_three_units_match_a_brute_force_count(random_codings: tuple[Project, dict]) -> None:
    project, quotations = random_codings
    items = list(quotations.items())
    own_q = {c: sum(c in codes for _, codes in items) for c in CODES}
    documents = {c: {k[0] for k, codes in items if c in codes} for c in CODES}
    for a, b in combinations(CODES, 2):
        both = sum(a in codes and b in codes for _, codes in items)
        overlap = 0
        for (k1, c1), (k2, c2) in combinations(items, 2):  # two different quotations
            same = k1[0] == k2[0] and k1[3] == k2[3] and k1[1] < k2[2] and k2[1] < k1[2]
            overlap += same and ((a in c1 and b in c2) or (b in c1 and a in c2))
        overlap += both  # a quotation carrying both codes pairs with itself
        shared = len(documents[a] & documents[b])
        for unit, n12, n1, n2 in (
            ("quotation", both, own_q[a], own_q[b]),
            ("overlap", overlap, own_q[a], own_q[b]),
            ("document", shared, len(documents[a]), len(documents[b])),
        ):
            cells = _by_number(cooccurrence_table(project, unit=unit))
            assert cells[(a, b)][0] == cells[(b, a)][0] == n12, (unit, a, b)
            assert cells[(a, a)][0] == n1
            expected_c = n12 / (n1 + n2 - n12) if n1 + n2 - n12 > 0 else None
            assert cells[(a, b)][1] == pytest.approx(expected_c)


def test_coder_filter_and_machine_output(random_codings: tuple[Project, dict], run: Runner) -> None:
    project, quotations = random_codings
    bart = {k: v for k, v in quotations.items() if k[3] == "bart"}
    cells = _by_number(cooccurrence_table(project, coders=["bart"]))
    assert cells[("2", "2")][0] == sum("2" in codes for codes in bart.values())
    result = run("cooccurrence", "-p", project.location, "--format", "json", "--unit", "document")
    rows = json.loads(result.stdout)
    assert len(rows) == len(CODES) * (len(CODES) + 1) // 2
    shown = run("cooccurrence", "-p", project.location)
    assert shown.code == 0 and "| code |" in shown.stdout


def test_quotation_unit_follows_coder_document_and_final_filters(
    random_codings: tuple[Project, dict],
) -> None:
    from workbench.services.final import assign

    project, quotations = random_codings
    assign(project, ["R01", "R02"], "bart")
    assign(project, ["R03"], "anouk")
    final = {("R01", "bart"), ("R02", "bart"), ("R03", "anouk")}
    for kwargs, keep in (
        ({"coders": ["anouk"]}, lambda k: k[3] == "anouk"),
        ({"documents": ["R02"]}, lambda k: k[0] == "R02"),
        ({"final": True}, lambda k: (k[0], k[3]) in final),
        ({"final": True, "documents": ["R03"]}, lambda k: (k[0], k[3]) == ("R03", "anouk")),
    ):
        kept = [codes for key, codes in quotations.items() if keep(key)]
        cells = _by_number(cooccurrence_table(project, **kwargs))  # type: ignore[arg-type]
        for a, b in combinations(CODES, 2):
            assert cells[(a, b)][0] == sum(a in c and b in c for c in kept), (kwargs, a, b)
        for a in CODES:
            assert cells[(a, a)][0] == sum(a in c for c in kept), (kwargs, a)


@pytest.mark.parametrize("unit", ["quotation", "overlap", "document"])
def test_a_cells_quotations_match_a_brute_force_selection(
    random_codings: tuple[Project, dict], unit: str
) -> None:
    """The quotations the workbench lists behind a cell (one key away from its count)."""
    from workbench.services.cooccurrence import cell_quotations

    project, quotations = random_codings
    table = cooccurrence_table(project, unit=unit)
    by_number = {str(code.number): code for code in table.codes}

    def overlaps(x: tuple[str, int, int, str], y: tuple[str, int, int, str]) -> bool:
        return x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2]

    for a, b in combinations(CODES, 2):
        of_a = [key for key, codes in quotations.items() if a in codes]
        of_b = [key for key, codes in quotations.items() if b in codes]
        if unit == "quotation":
            expected = set(of_a) & set(of_b)
        elif unit == "overlap":
            expected = {x for x in of_a if any(overlaps(x, y) for y in of_b)}
            expected |= {y for y in of_b if any(overlaps(x, y) for x in of_a)}
        else:
            both = {key[0] for key in of_a} & {key[0] for key in of_b}
            expected = {key for key in of_a + of_b if key[0] in both}
        rows = cell_quotations(project, by_number[a], by_number[b], unit=unit)
        assert {(r.document, r.start, r.end, r.coder) for r in rows} == expected, (a, b)
        assert {str(r.code_number) for r in rows} <= {a, b}
        if unit == "quotation":
            count = table.cells[(by_number[a].id, by_number[b].id)].count
            assert len({r.quotation_id for r in rows}) == count
