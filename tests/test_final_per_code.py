"""A consensus started for some codes settles only those codes of the final coding.

On SQLite and PostgreSQL, through the command line as a team would use it: anouk and
bart both coded R01; they reconcile code 2 only, and the report's other codes of R01
count from the coder assigned to it, not from the consensus coder who has only code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.storage.project import Project

OBSTACLES = "Belemmeringen collectief werken"  # code 2
CHANCES = "Kansen/mogelijkheden collectief werken"  # code 12
MAP = "Sociale kaart"  # code 20


def _study(run: Runner, folder: Path, location: str) -> list[str]:
    at = ["--project", location]
    small_codebook(folder)
    for name in ("R01", "R02"):
        write(folder / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
    assert run(*at, "codebook", "load", "small.codebook").code == 0
    assert run(*at, "import", "R01.txt", "R02.txt").code == 0
    write(
        folder / "c.csv",
        "document,start,end,code,coder\n"
        "R01,0,20,2,anouk\n"
        "R01,10,30,2,bart\n"  # code 2: they differ (one passage to decide)
        "R01,40,50,12,anouk\n"
        "R01,60,70,12,anouk\n"
        "R01,40,50,12,bart\n"  # code 12: anouk twice, bart once
        "R01,100,110,20,bart\n"  # code 20: bart only
        "R02,0,20,2,bart\n",  # R02: bart alone
    )
    assert run(*at, "codings", "import", "c.csv").code == 0
    return at


def _citations(run: Runner, at: list[str]) -> dict[str, int]:
    result = run(*at, "counts", "--final", "--format", "json")
    assert result.code == 0, result.stderr
    return {row["code"].strip(): row["citations"] for row in json.loads(result.stdout)["rows"]}


def test_a_consensus_for_one_code_leaves_the_other_codes_to_the_final_coder(
    run: Runner, tmp_path: Path, project: Project, project_location: str
) -> None:
    at = _study(run, tmp_path, project_location)
    started = run(*at, "consensus", "start", "-c", "anouk", "-c", "bart", "--code", "2")
    assert started.code == 0 and "1 new passage(s) to decide" in started.stderr
    (passage,) = json.loads(run(*at, "consensus", "list", "--format", "json").stdout)
    assert run(*at, "consensus", "decide", str(passage["id"]), "a").code == 0

    # Codes 12 and 20 of R01 are settled by nobody yet: the table refuses and says so.
    refused = run(*at, "counts", "--final")
    assert refused.code == 1
    assert "R01 (anouk, bart): a consensus settles some codes, not 12 " in refused.stderr
    assert "20 Sociale kaart" in refused.stderr and "R02" not in refused.stderr

    assert run(*at, "documents", "assign", "R01", "--coder", "anouk").code == 0
    citations = _citations(run, at)
    # code 2: the consensus's decision in R01 (anouk's 0-20) and bart's only coding of R02;
    # code 12: anouk's two in R01, not the consensus coder's none; code 20: anouk has none.
    assert (citations[OBSTACLES], citations[CHANCES], citations[MAP]) == (2, 2, 0)
    assert citations["Total"] == 4

    rows = json.loads(run(*at, "quotations", "--final", "--format", "json").stdout)
    assert sorted((r["document"], r["code_number"], r["coder"], r["start"]) for r in rows) == [
        ("R01", 2, "consensus", 0),
        ("R01", 12, "anouk", 40),
        ("R01", 12, "anouk", 60),
        ("R02", 2, "bart", 0),
    ]

    overview = {
        row["document"]: row["final"]
        for row in json.loads(run(*at, "documents", "--format", "json").stdout)
    }
    assert overview["R01"] == (
        f"consensus (consensus: 2 {OBSTACLES}); anouk (assigned) for the other codes"
    )
    assert overview["R02"] == "bart (only coder)"

    # The final coding agrees with bart where bart coded as the final coder did.
    agreement = run(
        *at, "agreement", "-c", "final", "-c", "bart", "--document", "R01", "--format", "json"
    )
    assert agreement.code == 0, agreement.stderr
    figures = {row["nr"]: row for row in json.loads(agreement.stdout)["rows"]}
    assert (figures[12]["both"], figures[12]["only_final"]) == (10, 10)  # anouk's 60-70
    # code 2: the decision (anouk's 0-20) against bart's 10-30
    assert (figures[2]["both"], figures[2]["only_final"], figures[2]["only_bart"]) == (10, 10, 10)
    assert (figures[20]["only_final"], figures[20]["only_bart"]) == (0, 10)


def test_a_consensus_of_every_code_still_settles_the_whole_document(
    run: Runner, tmp_path: Path, project: Project, project_location: str
) -> None:
    at = _study(run, tmp_path, project_location)
    assert run(*at, "consensus", "start", "-c", "anouk", "-c", "bart").code == 0
    citations = _citations(run, at)
    # R01 from the consensus: the agreed 12 at 40-50 only (2 and 20 still undecided)
    assert (citations[OBSTACLES], citations[CHANCES], citations[MAP]) == (1, 1, 0)
    overview = json.loads(run(*at, "documents", "--format", "json").stdout)
    assert overview[0]["final"] == "consensus (consensus)"
