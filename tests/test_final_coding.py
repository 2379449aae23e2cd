"""The final coding from the command line: consensus, assigned coders, honest counts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write


def _project(run: Runner, folder: Path) -> None:
    small_codebook(folder)
    for name in ("R01", "R02", "R03"):
        write(folder / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
    assert run("codebook", "load", "small.codebook").code == 0
    assert run("import", "R01.txt", "R02.txt", "R03.txt").code == 0
    write(
        folder / "c.csv",
        "document,start,end,code,coder\n"
        + "".join(f"{d},0,20,2,anouk\n{d},10,30,2,Bart\n" for d in ("R01", "R02", "R03"))
        + "R01,40,50,12,anouk\nR01,40,50,12,bart\n",
    )
    assert run("codings", "import", "c.csv", "--coder", "chair").code == 0


def test_counts_final_on_a_mixed_project(run: Runner, tmp_path: Path) -> None:
    _project(run, tmp_path)
    pooled = run("counts", "--format", "json")
    assert "pooled (Bart, anouk)" in pooled.stderr and "R01, R02, R03" in pooled.stderr
    assert json.loads(pooled.stdout)["documents_coded_by_several"] == ["R01", "R02", "R03"]

    started = run("consensus", "start", "-c", "ANOUK", "-c", "bart", "--document", "R01")
    assert started.code == 0 and "1 agreed quotation(s) copied" in started.stderr
    listed = json.loads(run("consensus", "list", "--format", "json").stdout)
    assert [(p["document"], p["start"], p["end"]) for p in listed] == [("R01", 0, 30)]
    assert run("consensus", "decide", str(listed[0]["id"]), "union").code == 0
    assert run("documents", "assign", "R02", "--coder", "bart").code == 0

    refused = run("counts", "--final")
    assert refused.code == 1 and "R03 (Bart, anouk)" in refused.stderr
    assert run("documents", "assign", "R03", "--coder", "anouk").code == 0
    final = json.loads(run("counts", "--final", "--format", "json").stdout)
    by_name = {row["code"].strip(): row["citations"] for row in final["rows"]}
    # R01: the consensus (union 0-30 for code 2, the agreed 40-50 for 12); R02: bart; R03: anouk
    assert by_name["Belemmeringen collectief werken"] == 3
    assert by_name["Kansen/mogelijkheden collectief werken"] == 1
    overview = run("documents", "--format", "csv").stdout
    assert "consensus (consensus)" in overview and "Bart (assigned)" in overview

    # the import is undone by the coder who ran it, as one step
    assert run("undo", "--coder", "chair").code == 0
    assert json.loads(run("counts", "--format", "json").stdout)["rows"][-1]["citations"] == 2


def test_agreement_warns_about_a_coder_without_quotations(run: Runner, tmp_path: Path) -> None:
    _project(run, tmp_path)
    assert run("code", "R01", "20", "--span", "0:5", "--coder", "carla").code == 0
    result = run(
        "agreement",
        "-c",
        "anouk",
        "-c",
        "carla",
        "--document",
        "R01",
        "--document",
        "R02",
        "--format",
        "json",
    )
    assert result.code == 0 and "carla has no quotation in R02" in result.stderr
    assert json.loads(result.stdout)["documents_without_coding"] == {"carla": ["R02"]}


def test_an_undo_blocked_by_a_later_change_names_it_and_can_be_skipped(
    run: Runner, tmp_path: Path
) -> None:
    _project(run, tmp_path)
    assert run("codebook", "add", "Nieuw", "--coder", "anouk").code == 0
    assert run("code", "R01", "Nieuw", "--span", "60:70", "--coder", "anouk").code == 0
    assert run("code", "R02", "Nieuw", "--span", "60:70", "--coder", "bart").code == 0
    assert run("undo", "--coder", "anouk").code == 0  # anouk's coding
    blocked = run("undo", "--coder", "anouk")  # adding the code: bart coded with it since
    assert blocked.code == 1 and "by Bart" in blocked.stderr and "--skip" in blocked.stderr
    assert run("undo", "--coder", "anouk", "--skip").code == 0
    # past it, anouk's history goes on: the import (run by chair) is not hers
    nothing = run("undo", "--coder", "anouk")
    assert nothing.code == 1 and "nothing to undo" in nothing.stderr
