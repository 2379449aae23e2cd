"""Positions and editable attributes: the appendix-5 table against pandas, undo on both
databases, all-or-nothing imports, numeric attributes, and the chart files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, write
from workbench.domain.errors import InvalidInput, NotFound
from workbench.services.attributes import attribute_table, import_attributes, set_attributes
from workbench.services.documents import import_transcripts, list_documents
from workbench.services.history import redo, undo
from workbench.services.positions import (
    import_positions,
    list_positions,
    positions_table,
    set_position,
)
from workbench.storage.project import Project

# Ties (R1 and R2 share x on team_now), zeros on an axis (R3), the origin (R4), and R2
# with two specialisations, so it counts under both.
POSITIONS = """document,placement,x,y
R1,team_now,2,3
R2,team_now,2,-1
R3,team_now,0,4
R4,team_now,0,0
R5,team_now,-3,0
R1,self_desired,-1,-2
R2,self_desired,-1,2
R3,self_desired,5,-2
R5,self_desired,-1,-2
"""
SPECIALISATION = {"R1": "Wmo", "R2": "Wmo; jeugd", "R3": "jeugd", "R4": "jeugd", "R5": ""}


def _documents(project: Project, folder: Path) -> None:
    for name in SPECIALISATION:
        write(folder / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
    import_transcripts(project, [folder / f"{name}.txt" for name in SPECIALISATION])


def _expected(by_group: bool) -> pd.DataFrame:
    """The table computed independently with pandas."""
    frame = pd.read_csv(pd.io.common.StringIO(POSITIONS))
    if by_group:
        frame["group"] = frame["document"].map(
            lambda d: [p.strip() for p in SPECIALISATION[d].split(";") if p.strip()] or ["(none)"]
        )
        frame = frame.explode("group")
    else:
        frame["group"] = "all"

    def letter(row: pd.Series) -> str:
        x, y = row["x"], row["y"]
        if x == 0 and y == 0:
            return "ef"
        if y == 0:
            return "e"
        if x == 0:
            return "f"
        return {(True, True): "b", (False, True): "a", (True, False): "c", (False, False): "d"}[
            (x > 0, y > 0)
        ]

    frame["q"] = frame.apply(letter, axis=1)
    rows = []
    for (group, placement), part in frame.groupby(["group", "placement"]):
        row = {"group": group, "placement": placement, "n": len(part)}
        for axis in ("x", "y"):
            row[f"{axis}_mean"] = part[axis].mean()
            row[f"{axis}_min"] = part[axis].min()
            row[f"{axis}_max"] = part[axis].max()
            row[f"{axis}_mode"] = part[axis].mode().min()  # pandas: all modes, sorted
        counts = part["q"].value_counts()
        row.update({q: int(counts.get(q, 0)) for q in ("a", "b", "c", "d", "e", "f", "ef")})
        rows.append(row)
    return pd.DataFrame(rows).set_index(["group", "placement"]).sort_index()


def _table(project: Project, by: str | None) -> pd.DataFrame:
    frame = pd.DataFrame([row.as_dict() for row in positions_table(project, by)])
    return frame.set_index(["group", "placement"]).sort_index()


def test_table_matches_pandas_with_ties_axes_origin_and_two_specialisations(
    project: Project, tmp_path: Path
) -> None:
    _documents(project, tmp_path)
    for name, value in SPECIALISATION.items():
        if value:
            set_attributes(project, name, {"specialisation": value})
    assert import_positions(project, write(tmp_path / "p.csv", POSITIONS)) == 9
    for by in (None, "specialisation"):
        expected = _expected(by is not None)
        actual = _table(project, by)
        assert list(actual.index) == list(expected.index)
        pd.testing.assert_frame_equal(actual[expected.columns], expected, check_dtype=False)
    everyone = _table(project, None).loc[("all", "team_now")]
    assert (everyone["x_mode"], everyone["e"], everyone["f"], everyone["ef"]) == (0, 1, 1, 1)
    # R2 counts under both of its specialisations
    grouped = _table(project, "specialisation")
    assert (
        grouped.loc[("Wmo", "team_now"), "n"] == 2 and grouped.loc[("jeugd", "team_now"), "n"] == 3
    )


def test_position_and_attribute_edits_undo_and_redo(project: Project, tmp_path: Path) -> None:
    _documents(project, tmp_path)
    set_position(project, "R1", "self_now", (1.5, -2))
    set_position(project, "R1", "self_now", (3, 3))
    set_attributes(project, "R1", {"team": "Noord", "age": "41"})
    assert [(p.x, p.y) for p in list_positions(project)] == [(3, 3)]
    undo(project, None)
    assert attribute_table(project)[1][0] == {"document": "R1"}
    undo(project, None)
    assert [(p.x, p.y) for p in list_positions(project)] == [(1.5, -2)]
    undo(project, None)
    assert list_positions(project) == []
    redo(project, None)
    assert [(p.x, p.y) for p in list_positions(project)] == [(1.5, -2)]
    set_attributes(project, "R2", {"team": "Oost"})
    set_attributes(project, "R2", {"team": None})  # unset
    assert attribute_table(project)[1][1] == {"document": "R2"}
    undo(project, None)
    assert attribute_table(project)[1][1] == {"document": "R2", "team": "Oost"}


def test_bad_positions_csv_names_every_row_and_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    _documents(project, tmp_path)
    set_position(project, "R1", "team_now", (1, 1))
    bad = write(
        tmp_path / "bad.csv",
        "document,placement,x,y\nR1,team_now,5,5\nR2,team_now,links,2\nR1,team_now,1,1\n"
        "R9,self_now,1,1\n",
    )
    with pytest.raises(InvalidInput) as parsed:
        import_positions(project, bad)
    assert "row 3" in str(parsed.value) and "'links' is not a number" in str(parsed.value)
    assert "row 4" in str(parsed.value) and "given twice" in str(parsed.value)
    unknown = write(tmp_path / "unknown.csv", "document,placement,x,y\nR1,team_now,5,5\nR9,a,1,1\n")
    with pytest.raises(InvalidInput, match="row 3: no document 'R9'"):
        import_positions(project, unknown)
    assert [(p.x, p.y) for p in list_positions(project)] == [(1, 1)]


def test_attributes_import_merges_and_refuses_unknown_documents(
    project: Project, tmp_path: Path
) -> None:
    _documents(project, tmp_path)
    set_attributes(project, "R1", {"team": "Noord", "age": "41"})
    merged = write(tmp_path / "a.csv", "document,team,age\nR1,Zuid,\nR2,,29\n")
    assert import_attributes(project, merged) == 2
    rows = {row["document"]: row for row in attribute_table(project)[1]}
    assert rows["R1"] == {"document": "R1", "age": "41", "team": "Zuid"}
    assert rows["R2"]["age"] == "29"
    refused = write(tmp_path / "b.csv", "document,team\nR1,West\nR8,Oost\nR9,Oost\n")
    with pytest.raises(NotFound, match=r"row 3 \('R8'\), row 4 \('R9'\)"):
        import_attributes(project, refused)
    assert {row["document"]: row for row in attribute_table(project)[1]}["R1"]["team"] == "Zuid"


def _cli_project(run: Runner, folder: Path) -> None:
    for name in SPECIALISATION:
        write(folder / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
    assert run("import", *[f"{n}.txt" for n in SPECIALISATION]).code == 0
    write(folder / "p.csv", POSITIONS)
    assert run("positions", "import", "p.csv").code == 0


def test_numeric_attribute_sorts_as_numbers_and_needs_bins(run: Runner, tmp_path: Path) -> None:
    _cli_project(run, tmp_path)
    for name, score in zip(SPECIALISATION, ("-10", "-2", "-3", "7", "12"), strict=True):
        assert run("attributes", "set", name, f"score={score}", "team=A").code == 0
    table = json.loads(run("positions", "table", "--by", "score", "--format", "json").stdout)
    groups = list(dict.fromkeys(row["group"] for row in table))
    assert groups == sorted(groups, key=float) == ["-10", "-3", "-2", "7", "12"]
    assert run("attributes", "unset", "R1", "score").code == 0
    listed = run("attributes", "--format", "json")
    assert json.loads(listed.stdout)[0] == {"document": "R1", "score": "", "team": "A"}


def test_counts_by_numeric_attribute_with_bins(run: Runner, tmp_path: Path) -> None:
    from tests.helpers import small_codebook

    small_codebook(tmp_path)
    assert run("codebook", "load", "small.codebook").code == 0
    _cli_project(run, tmp_path)
    for name, age in zip(SPECIALISATION, ("25", "31", "39", "40", "58"), strict=True):
        assert run("attributes", "set", name, f"age={age}").code == 0
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\n" + "".join(f"{d},0,20,2,anouk\n" for d in SPECIALISATION),
    )
    assert run("codings", "import", "c.csv").code == 0
    refused = run("counts", "--by", "age")
    assert refused.code != 0 and "numeric" in refused.stderr and "--bins" in refused.stderr
    counted = run("counts", "--by", "age", "--bins", "30,40", "--format", "json")
    assert counted.code == 0, counted.stderr
    total = next(row for row in json.loads(counted.stdout)["rows"] if row["code"] == "Total")
    # 25 -> below 30; 31 and 39 -> 30 to 40; 40 and 58 -> from 40
    assert (total["< 30"], total["30 to < 40"], total[">= 40"]) == (1, 2, 2)
    assert run("attributes", "set", "R1", "team=Noord").code == 0
    text = run("counts", "--by", "team", "--bins", "1,2")
    assert text.code != 0 and "text values" in text.stderr


def test_plot_writes_png_and_svg(run: Runner, tmp_path: Path) -> None:
    _cli_project(run, tmp_path)
    assert run("positions", "plot", "--out", "chart.png").code == 0
    data = (tmp_path / "chart.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert (
        run(
            "positions",
            "plot",
            "--out",
            "c.svg",
            "--placement",
            "team_now",
            "--placement",
            "self_desired",
        ).code
        == 0
    )
    svg = (tmp_path / "c.svg").read_text()
    ET.fromstring(svg)  # parses as XML
    assert "individual" in svg and "formal" in svg and "R3" in svg
    missing = run("positions", "plot", "--out", "c.svg", "--placement", "nowhere")
    assert missing.code != 0 and "nowhere" in missing.stderr
    assert run("positions", "plot", "--out", "c.pdf").code != 0


def test_undo_of_a_position_changed_since_by_another_coder_is_refused(
    run: Runner, tmp_path: Path
) -> None:
    _cli_project(run, tmp_path)
    assert run("positions", "set", "R1", "self_now", "1", "2", "--by", "anouk").code == 0
    assert run("positions", "set", "R1", "self_now", "3", "4", "--by", "bart").code == 0
    refused = run("undo", "--coder", "anouk")
    assert refused.code != 0 and "bart" in refused.stderr
    listed = json.loads(run("positions", "--format", "json").stdout)
    mine = [
        (p["x"], p["y"]) for p in listed if (p["document"], p["placement"]) == ("R1", "self_now")
    ]
    assert mine == [(3, 4)]


def test_a_position_points_to_its_quotation(run: Runner, tmp_path: Path) -> None:
    from tests.helpers import small_codebook

    small_codebook(tmp_path)
    assert run("codebook", "load", "small.codebook").code == 0
    _cli_project(run, tmp_path)
    coded = run("code", "R1", "2", "--span", "0:20", "--coder", "anouk")
    found = re.search(r"(\d+) in R1", coded.stderr)
    assert found, coded.stderr
    first = int(found.group(1))
    write(tmp_path / "q.csv", "document,placement,x,y,quotation\nR2,self_now,1,1,999\n")
    refused = run("positions", "import", "q.csv")
    assert refused.code != 0 and "row 2: no quotation 999" in refused.stderr
    assert run("positions", "set", "R1", "self_now", "1", "1", "--quotation", "999").code != 0
    assert "must be numbers" in run("positions", "set", "R1", "self_now", "nan", "1").stderr
    write(tmp_path / "q.csv", f"document,placement,x,y,quotation\nR2,self_now,1,1,{first}\n")
    assert run("positions", "import", "q.csv").code == 0
    listed = json.loads(run("positions", "--format", "json").stdout)
    assert [
        p["quotation"] for p in listed if p["document"] == "R2" and p["placement"] == "self_now"
    ] == [first]


def _kinds(project: Project) -> list[str]:
    from workbench.storage import repositories as repo

    with project.unit_of_work() as session:
        return [operation.kind for operation in reversed(repo.list_operations(session))]


def test_import_with_attributes_is_one_undoable_operation(project: Project, tmp_path: Path) -> None:
    for name in ("R1", "R2", "R3"):
        write(tmp_path / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
    first = write(tmp_path / "a.csv", "document,team\nR1,Noord\nR2.txt,Oost\n")
    report = import_transcripts(
        project, [tmp_path / "R1.txt", tmp_path / "R2.txt"], attributes=first, coder="anouk"
    )
    assert report.attributes_set == 2
    before = attribute_table(project)
    # R1: an empty team leaves Noord; age is new. R3 arrives with the file.
    second = write(tmp_path / "b.csv", "document,team,age\nR1,,41\nR3,West,29\nR2,Zuid,\n")
    report = import_transcripts(project, [tmp_path / "R3.txt"], attributes=second, coder="anouk")
    assert report.imported == ["R3"] and report.attributes_set == 3
    after = attribute_table(project)
    assert after[1] == [
        {"document": "R1", "age": "41", "team": "Noord"},
        {"document": "R2", "age": "", "team": "Zuid"},
        {"document": "R3", "age": "29", "team": "West"},
    ]
    assert _kinds(project)[-2:] == ["documents.import", "attributes.import"]
    step = undo(project, "anouk")
    assert step.summary == "attributes from b.csv"
    # exactly as before; the document R3 stays, without attributes
    assert attribute_table(project) == (before[0], [*before[1], {"document": "R3", "team": ""}])
    redo(project, "anouk")
    assert attribute_table(project) == after
    # nothing in the file changes anything: no operation is logged
    import_transcripts(project, [tmp_path / "R3.txt"], attributes=second, coder="anouk")
    assert _kinds(project)[-1] == "redo"


def test_a_failed_import_with_attributes_leaves_the_project_as_it_was(
    project: Project, tmp_path: Path
) -> None:
    _documents(project, tmp_path)
    set_attributes(project, "R1", {"team": "Noord"})
    before, kinds = attribute_table(project), _kinds(project)
    bad = write(
        tmp_path / "bad.csv", "document,team\nR1,Zuid\n,Oost\nR2,West,extra\nR1,Oost\nR6,West\n"
    )
    (tmp_path / "new").mkdir()
    write(tmp_path / "new" / "R6.txt", INTERVIEW + "I: Nog een.\n")
    with pytest.raises(InvalidInput) as refused:
        import_transcripts(project, [tmp_path / "new"], attributes=bad)
    message = str(refused.value)
    assert "row 3: the document name is empty" in message
    assert "row 4: 3 cells but the header has 2" in message
    assert "row 5: 'R1' is given twice (also row 2)" in message
    with pytest.raises(InvalidInput, match="row 3"):
        import_attributes(project, bad)
    assert attribute_table(project) == before and _kinds(project) == kinds
    assert "R6" not in {document.name for document in list_documents(project)}


def test_cli_undo_takes_back_the_attributes_of_an_import(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "R1.txt", INTERVIEW)
    write(tmp_path / "a.csv", "document,team\nR1,Noord\n")
    imported = run("import", "R1.txt", "--attributes", "a.csv", "--coder", "anouk")
    assert imported.code == 0 and "attributes set for 1" in imported.stderr
    undone = run("undo", "--coder", "anouk")
    assert undone.code == 0 and "attributes from a.csv" in undone.stderr
    listed = json.loads(run("attributes", "--format", "json").stdout)
    assert listed == [{"document": "R1"}]
    assert run("redo", "--coder", "anouk").code == 0
    assert json.loads(run("attributes", "--format", "json").stdout) == [
        {"document": "R1", "team": "Noord"}
    ]


def test_positions_import_undoes_exactly(project: Project, tmp_path: Path) -> None:
    _documents(project, tmp_path)
    set_position(project, "R1", "team_now", (7, 7), by="anouk")
    before = list_positions(project)
    assert import_positions(project, write(tmp_path / "p.csv", POSITIONS), by="anouk") == 9
    after = list_positions(project)
    assert len(after) == 9 and (after[0].x, after[0].y) == (2, 3)  # R1 team_now replaced
    assert undo(project, "anouk").summary == "positions from p.csv"
    assert list_positions(project) == before
    redo(project, "anouk")
    assert list_positions(project) == after
