"""The command line on a real project file: in-process through click's CliRunner (`run`),
and a few end-to-end tests through the installed console script (`script`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest

from tests.conftest import REPOSITORY, shared_material
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.cli.main import cli


@pytest.fixture
def project_dir(run: Any, tmp_path: Path) -> Path:
    write(tmp_path / "R01.txt", INTERVIEW)
    small_codebook(tmp_path)
    assert run("codebook", "load", "small.codebook").code == 0
    assert run("import", "R01.txt").code == 0
    return tmp_path


def test_init_creates_the_default_project(run: Any, tmp_path: Path) -> None:
    result = run("init")
    assert result.code == 0, result.stderr
    assert (tmp_path / "workbench.db").exists()
    assert result.stdout == ""


def test_project_from_environment_variable(run: Any, tmp_path: Path) -> None:
    result = run("init", env={"WORKBENCH_PROJECT": str(tmp_path / "elsewhere.db")})
    assert result.code == 0
    assert (tmp_path / "elsewhere.db").exists() and not (tmp_path / "workbench.db").exists()


def test_import_exit_code_is_1_when_a_file_fails(run: Any, tmp_path: Path) -> None:
    write(tmp_path / "R01.txt", INTERVIEW)
    write(tmp_path / "R02.txt", b"")
    result = run("import", "R01.txt", "R02.txt")
    assert result.code == 1
    assert "imported R01" in result.stderr
    assert "failed: R02.txt: the file is empty" in result.stderr
    assert "1 imported" in result.stderr


def test_code_then_counts_goes_to_stdout_only(script: Any, project_dir: Path) -> None:
    coded = script("code", "R01", "2", "12", "--quote", "De caseload", "--coder", "anouk")
    assert coded.code == 0, coded.stderr
    assert "created quotation 1 in R01" in coded.stderr
    table = script("counts", "--format", "csv")
    assert table.code == 0
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    by_code = {row["code"].strip(): row for row in rows}
    assert by_code["Belemmeringen collectief werken"]["citations"] == "1"
    assert by_code["Kansen en belemmeringen"]["type"] == "category"
    assert by_code["Total"]["citations"] == "2"
    assert table.stderr == ""


def test_coder_from_environment_variable(run: Any, project_dir: Path) -> None:
    result = run("code", "R01", "9", "--span", "0:10", env={"WORKBENCH_CODER": "bart"})
    assert result.code == 0, result.stderr
    exported = run("codings", "export")
    assert next(csv.DictReader(io.StringIO(exported.stdout)))["coder"] == "bart"


def test_errors_are_one_line_on_stderr_with_exit_code_1(
    run: Any, script: Any, project_dir: Path
) -> None:
    result = script("code", "R01", "77", "--span", "0:10", "--coder", "anouk")
    assert result.code == 1
    assert result.stderr.startswith("error: no code '77'")
    assert "Traceback" not in result.stderr
    assert run("code", "R01", "2", "--coder", "anouk").code == 1  # neither --span nor --quote


def test_counts_to_xlsx_and_json(run: Any, project_dir: Path) -> None:
    assert run("code", "R01", "20", "--span", "0:10", "--coder", "anouk").code == 0
    assert run("counts", "--out", "counts.xlsx").code == 0
    frame = pd.read_excel(project_dir / "counts.xlsx")
    assert frame.loc[frame["code"].str.strip() == "Sociale kaart", "citations"].item() == 1
    as_json = json.loads(run("counts", "--format", "json").stdout)
    quotations = json.loads(run("codings", "export", "--format", "json").stdout)
    assert quotations[0]["comment"] == "" and quotations[0]["code"] == "Sociale kaart"
    assert as_json["counted"] == "every coder's quotations, pooled"
    assert as_json["coders"] == ["anouk"]
    assert as_json["rows"][-1] == {
        "nr": None,
        "code": "Total",
        "type": "total",
        "citations": 1,
        "documents": 1,
    }
    refused = run("counts", "--format", "xlsx")
    assert refused.code == 1 and "--out" in refused.stderr


def test_codings_import_rejects_the_file_listing_rows(run: Any, project_dir: Path) -> None:
    write(
        project_dir / "bad.csv", "document,start,end,code,coder\nR01,0,5,2,anouk\nR09,0,5,2,anouk\n"
    )
    result = run("codings", "import", "bad.csv")
    assert result.code == 1
    assert "bad.csv, row 3: no document 'R09'" in result.stderr
    total = json.loads(run("counts", "--format", "json").stdout)["rows"][-1]
    assert total["citations"] == 0, "the good first row was not imported either"


def test_codings_export_writes_a_file_that_imports_into_a_new_project(
    run: Any, project_dir: Path
) -> None:
    assert (
        run("code", "R01", "2", "--span", "3:20", "--coder", "anouk", "--comment", "let op").code
        == 0
    )
    assert run("codings", "export", "out.csv").code == 0
    fresh = ["--project", "fresh.db"]
    assert run(*fresh, "codebook", "load", "small.codebook").code == 0
    assert run(*fresh, "import", "R01.txt").code == 0
    assert run(*fresh, "codings", "import", "out.csv").code == 0, "exported file re-imports"
    again = run(*fresh, "codings", "export")
    assert again.stdout == (project_dir / "out.csv").read_text(encoding="utf-8")


def test_codebook_show_and_export(run: Any, project_dir: Path) -> None:
    shown = run("codebook", "show")
    assert shown.stdout.splitlines()[:3] == [
        "9 Definitie collectief werken (0)",
        "[Kansen en belemmeringen] (0)",
        "  2 Belemmeringen collectief werken (0)",
    ]
    assert run("codebook", "export", "tree.codebook").code == 0
    assert (
        "- 12 Kansen/mogelijkheden collectief werken" in (project_dir / "tree.codebook").read_text()
    )


def test_bare_command_opens_the_workbench_on_the_project(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from workbench.tui.app import WorkbenchApp

    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(
        WorkbenchApp, "run", lambda self: opened.append((self.project.location, self.coder))
    )
    result = CliRunner().invoke(
        cli, ["--project", str(project_dir / "workbench.db"), "--coder", "anouk"]
    )
    assert result.exit_code == 0, result.output
    assert opened == [(str(project_dir / "workbench.db"), "anouk")]


def test_demo_builds_a_project_with_two_coders(run: Any, tmp_path: Path) -> None:
    result = run("demo", "--out", "demo.db")
    assert result.code == 0, result.stderr
    counts = run("--project", "demo.db", "counts", "--by", "team", "--format", "csv")
    frame = pd.read_csv(io.StringIO(counts.stdout))
    assert {"Noord", "Oost", "Zuid", "West", "Centrum"} <= set(frame.columns)
    assert frame.loc[frame["type"] == "total", "citations"].item() > 100
    codes = frame[frame["type"] == "code"]
    assert len(codes) == 25 and (codes["citations"] > 0).all(), "every code has demo quotations"
    exported = pd.read_csv(io.StringIO(run("--project", "demo.db", "codings", "export").stdout))
    assert set(exported["coder"]) == {"anouk", "bart"}
    again = run("demo", "--out", "demo.db")
    assert again.code == 1 and "exists already" in again.stderr


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and len(command.help.strip()) > 20
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"option {parameter.name} of {' '.join(path)} has no help"


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_appears_in_the_readme(path: tuple[str, ...]) -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert f"workbench {' '.join(path)}" in readme, f"README does not show {' '.join(path)}"


def test_help_runs_through_the_script(script: Any) -> None:
    result = script("codings", "import", "--help")
    assert result.code == 0 and "All or nothing" in result.stdout


def test_undo_and_redo_survive_between_runs(run: Any, project_dir: Path) -> None:
    assert run("code", "R01", "2", "--span", "0:10", "--coder", "anouk").code == 0
    undone = run("undo", "--coder", "anouk")
    assert undone.code == 0 and "undone: coded R01 0:10" in undone.stderr
    assert json.loads(run("counts", "--format", "json").stdout)["rows"][-1]["citations"] == 0
    assert run("redo", "--coder", "anouk").code == 0
    assert json.loads(run("counts", "--format", "json").stdout)["rows"][-1]["citations"] == 1
    nothing = run("redo", "--coder", "anouk")
    assert nothing.code == 1 and "nothing to redo" in nothing.stderr


def test_codebook_edits_from_the_command_line(run: Any, project_dir: Path) -> None:
    assert run("code", "R01", "2", "12", "--span", "0:10", "--coder", "anouk").code == 0
    added = run("codebook", "add", "Bijvangst", "--parent", "Kennis", "--coder", "anouk")
    # the next number after the small tree's highest (20), so it can be coded by number
    assert added.code == 0 and "added code '21 Bijvangst'" in added.stderr
    assert run("codebook", "rename", "Bijvangst", "Restcategorie").code == 0
    clash = run("codebook", "rename", "Restcategorie", "Sociale kaart")
    assert clash.code == 1 and "already has a code named" in clash.stderr
    loop = run("codebook", "move", "Kansen en belemmeringen", "--parent", "2")
    assert loop.code == 1 and "under itself" in loop.stderr
    merged = run("codebook", "merge", "2", "--into", "12", "--coder", "anouk")
    assert merged.code == 0 and "1 quotation(s) now" in merged.stderr
    asked = run("codebook", "delete", "12", input="n\n")  # without --yes it asks first
    assert asked.code == 1 and "1 quotation(s) would lose it" in asked.stderr
    assert "nothing deleted" in asked.stderr
    assert run("codebook", "delete", "12", "--yes", "--coder", "anouk").code == 0
    shown = run("codebook", "show").stdout
    assert "Kansen/mogelijkheden" not in shown and "Restcategorie" in shown
    assert run("undo", "--coder", "anouk").code == 0  # the delete
    assert "12 Kansen/mogelijkheden collectief werken (1)" in run("codebook", "show").stdout


def test_codebook_versions_and_unused_from_the_command_line(run: Any, project_dir: Path) -> None:
    assert run("code", "R01", "2", "--span", "0:10", "--coder", "anouk").code == 0
    unused = run("codebook", "unused", "--format", "csv").stdout
    assert "Sociale kaart" in unused and "Belemmeringen" not in unused
    assert run("codebook", "tag", "after pilot coding").code == 0
    assert run("codebook", "rename", "20", "Sociale kaart van de wijk").code == 0
    diff = run("codebook", "diff", "after pilot coding", "--format", "csv")
    assert diff.code == 0
    assert "renamed,Sociale kaart van de wijk,was Sociale kaart,0,0" in diff.stdout
    history = run("codebook", "history", "--format", "csv").stdout
    assert "codebook.tag" in history and "code.rename" in history
    missing = run("codebook", "diff", "pilot")
    assert missing.code == 1 and "no version 'pilot'" in missing.stderr


def test_agreement_table_from_the_command_line(run: Any, project_dir: Path) -> None:
    write(
        project_dir / "c.csv",
        "document,start,end,code,coder\nR01,0,20,2,anouk\nR01,10,30,2,bart\n",
    )
    assert run("codings", "import", "c.csv").code == 0
    result = run("agreement", "--coder", "anouk", "--coder", "bart", "--format", "csv")
    assert result.code == 0, result.stderr
    assert "documents: R01" in result.stderr
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    code2 = rows["Belemmeringen collectief werken"]
    assert (code2["both"], code2["only_anouk"], code2["only_bart"]) == ("10", "10", "10")
    assert "Overall (all codes pooled)" in rows
    alone = run("agreement", "--coder", "anouk")
    assert alone.code == 1 and "at least two different coders" in alone.stderr


def test_tree_merge_from_the_command_line(run: Any, project_dir: Path) -> None:
    write(
        project_dir / "bart.codebook",
        "tree: bart\n\n- Belemeringen collectief werken\n- Kaart, sociale\n- Bijvangst\n",
    )
    assert run("codebook", "load", "small.codebook", "--tree", "anouk").code == 0
    assert run("codebook", "load", "bart.codebook").code == 0
    assert (
        run("code", "R01", "Bijvangst", "--span", "0:9", "--coder", "bart", "--tree", "bart").code
        == 0
    )
    proposed = run(
        "codebook",
        "merge",
        "--coder",
        "anouk",
        "--coder",
        "bart",
        "--plan",
        "plan.csv",
        "--out",
        "joint.qdc",
        "--joint",
        "samen",
    )
    assert proposed.code == 0, proposed.stderr
    assert "nothing changed in the project" in proposed.stderr
    plan = (project_dir / "plan.csv").read_text(encoding="utf-8")
    assert plan.startswith(
        "anouk,bart,score,shared_text,match,reason,decision,merged_name,parent,note\n"
    )
    assert 'Sociale kaart,"Kaart, sociale",100,,identical,same name,merge' in plan
    # A second run of the plan step does not overwrite the plan (it may hold edits) ...
    assert ",keep,Bijvangst," in plan
    (project_dir / "plan.csv").write_text(plan.replace(",keep,Bijvangst,", ",keep,Restpost,"))
    again = run("codebook", "merge", "--coder", "anouk", "--coder", "bart", "--plan", "plan.csv")
    assert again.code == 2 and "plan.csv exists already and was not overwritten" in again.stderr
    # ... and with --out, the joint tree is built from the plan as edited.
    edited = run(
        "codebook", "merge", "-c", "anouk", "-c", "bart", "--plan", "plan.csv", "--out", "j.csv"
    )
    assert edited.code == 0 and "as edited" in edited.stderr
    assert "Restpost" in (project_dir / "j.csv").read_text(encoding="utf-8")
    assert ",keep,Restpost," in (project_dir / "plan.csv").read_text(encoding="utf-8")
    assert "<Code" in (project_dir / "joint.qdc").read_text(encoding="utf-8")
    applied = run(
        "codebook",
        "merge",
        "--coder",
        "anouk",
        "--coder",
        "bart",
        "--plan",
        "plan.csv",
        "--apply",
        "--joint",
        "samen",
    )
    assert applied.code == 0, applied.stderr
    assert "1 quotation(s) coded" in applied.stderr
    assert "Restpost (1)" in run("codebook", "show", "--tree", "samen").stdout
    files = run("codebook", "merge", "small.codebook", "bart.codebook")
    assert files.code == 0 and "Belemeringen collectief werken" in files.stdout


def test_merge_project_from_the_command_line(run: Any, project_dir: Path) -> None:
    other = ["--project", "bart.db"]
    assert run(*other, "codebook", "load", "small.codebook").code == 0
    assert run(*other, "import", "R01.txt").code == 0
    assert run(*other, "code", "R01", "20", "--span", "0:9", "--coder", "bart").code == 0
    result = run("merge-project", "bart.db", "--coder", "anouk")
    assert result.code == 0, result.stderr
    assert "matched: R01 <- R01" in result.stderr and "tree(s) bart;" in result.stderr
    assert "20 Sociale kaart (1)" in run("codebook", "show", "--tree", "bart").stdout


def test_refi_project_export_and_import_from_the_command_line(run: Any, project_dir: Path) -> None:
    assert run("code", "R01", "2", "--span", "0:10", "--coder", "anouk").code == 0
    exported = run("export-project", "study.qdpx")
    assert exported.code == 0 and "1 quotation(s)" in exported.stderr
    imported = run("--project", "copy.db", "import-project", "study.qdpx")
    assert imported.code == 0, imported.stderr
    assert "positions: R01: counted in characters (as the standard says)" in imported.stderr
    rows = list(
        csv.DictReader(io.StringIO(run("--project", "copy.db", "codings", "export").stdout))
    )
    assert [(r["start"], r["end"], r["coder"]) for r in rows] == [("0", "10", "anouk")]
    bad = run("import-project", "small.codebook")
    assert bad.code == 1 and "not a REFI-QDA project" in bad.stderr


def test_memos_and_groups_are_listed(run: Any, project_dir: Path) -> None:
    sample = shared_material("refi", "samples", "atlasti-mac-8.4.0_REFI-standard-project.qde")
    assert run("--project", "atlas.db", "import-project", str(sample)).code == 0
    listed = run("--project", "atlas.db", "memos", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert {r["name"] for r in rows if r["kind"] == "memo"} == {
        "Research Plan",
        "My favorite Coke ad",
    }
    assert "negative feelings" in {r["name"] for r in rows if r["kind"] == "code group"}


def test_batch_runs_one_command_per_line_and_stops_at_the_first_failure(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from workbench.cli.main import cli
    from workbench.services.counts import count_rows
    from workbench.services.demo import build_demo
    from workbench.services.project import open_project

    project = tmp_path / "demo.db"
    build_demo(project, say=lambda _: None)
    script = tmp_path / "script.txt"
    script.write_text(
        "# coded while reading R01\n"
        "workbench code R01 12 --span 0:40\n"
        "\n"
        "code R01 9 --span 50:90 --comment 'two words'\n"
        "code NOSUCH 9 --span 0:10\n"
        "code R01 9 --span 100:140\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["-p", str(project), "-c", "carla", "batch", str(script)])
    assert result.exit_code == 1
    assert "NOSUCH" in result.output and "stopped at line 5" in result.output
    with open_project(str(project)) as opened:
        after = {row[1].strip(): row[3] for row in count_rows(opened, coders=["carla"]).rows}
    assert after["Kansen/mogelijkheden collectief werken"] == 1  # carla is new
    assert after["Definitie collectief werken"] == 1  # line 6 never ran

    again = runner.invoke(
        cli, ["-p", str(project), "-c", "carla", "batch", "--keep-going", str(script)]
    )
    assert again.exit_code == 1 and "line(s) 2, 4, 5 failed; 1 command(s) done" in again.output
    # each line was its own change: one undo takes back only the last coding
    assert runner.invoke(cli, ["-p", str(project), "undo", "--coder", "carla"]).exit_code == 0
    with open_project(str(project)) as opened:
        undone = {row[1].strip(): row[3] for row in count_rows(opened, coders=["carla"]).rows}
    assert undone["Definitie collectief werken"] == after["Definitie collectief werken"]
