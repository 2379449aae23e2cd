"""Retrieval of quotations: every filter against counts worked out here from the codings
file itself, quoted text without timestamps and speaker labels, the codings export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.services.codebook import load_codebook
from workbench.services.coding import codings_table, import_codings
from workbench.services.documents import import_transcripts
from workbench.services.retrieval import retrieve
from workbench.storage.project import Project

VTT = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Hoe gaat het met de wijk?\n\n"
    "2\n00:00:05.000 --> 00:00:09.000\n<v Sanne>Goed. De buurt helpt elkaar.\n\n"
    "3\n00:00:10.000 --> 00:00:12.500\n<v Sanne>Maar de caseload blijft hoog.\n"
)

# (document, start, end, code, coder); spans of R02 are worked out from its text below.
CODINGS = [
    ("R01", 0, 10, "2", "anouk"),
    ("R01", 0, 10, "12", "anouk"),
    ("R01", 44, 100, "20", "anouk"),
    ("R01", 0, 10, "2", "bart"),
    ("R01", 140, 170, "9", "bart"),
]
CODE_NAMES = {
    "2": "Belemmeringen collectief werken",
    "12": "Kansen/mogelijkheden collectief werken",
    "20": "Sociale kaart",
    "9": "Definitie collectief werken",
}
CATEGORY = {"2": "Kansen en belemmeringen", "12": "Kansen en belemmeringen", "20": "Kennis"}
ATTRIBUTES = {
    "R01": {"region": "Noord", "field": "Wmo"},
    "R02": {"region": "Oost", "field": "Wmo; jeugd"},
}


def _r02_lines(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    second = text.index("[00:00:05.000]")
    third = text.index("[00:00:10.000]")
    return (second, text.index("\n", second)), (second, text.index("\n", third))


@pytest.fixture
def studied(
    project: Project, tmp_path: Path
) -> tuple[Project, list[tuple[str, int, int, str, str]]]:
    load_codebook(project, small_codebook(tmp_path))
    attributes = "document,region,field\n" + "".join(
        f'{d},{a["region"]},"{a["field"]}"\n' for d, a in ATTRIBUTES.items()
    )
    import_transcripts(
        project,
        [write(tmp_path / "R01.txt", INTERVIEW), write(tmp_path / "R02.vtt", VTT)],
        attributes=write(tmp_path / "attributes.csv", attributes),
    )
    with project.unit_of_work() as session:
        from workbench.storage import repositories as repo

        r02 = repo.get_document(session, repo.find_document_id(session, "R02")).text
    (a, b), (c, d) = _r02_lines(r02)
    codings = [*CODINGS, ("R02", a, b, "2", "anouk"), ("R02", c, d, "20", "anouk")]
    source = "document,start,end,code,coder\n" + "".join(
        f"{doc},{s},{e},{code},{who}\n" for doc, s, e, code, who in codings
    )
    import_codings(project, write(tmp_path / "codings.csv", source))
    return project, codings


def _expected(codings: list[tuple[str, int, int, str, str]], **keep: object) -> int:
    """How many codings pass the filters, counted straight from the codings list."""

    def passes(doc: str, code: str, who: str) -> bool:
        parts = {p.strip() for p in ATTRIBUTES[doc]["field"].split(";")}
        return (
            code in keep.get("code", [code])  # type: ignore[operator]
            and who in keep.get("coder", [who])  # type: ignore[operator]
            and doc in keep.get("document", [doc])  # type: ignore[operator]
            and CATEGORY.get(code) in keep.get("category", [CATEGORY.get(code)])  # type: ignore[operator]
            and keep.get("field", next(iter(parts))) in parts
        )

    return sum(1 for doc, _s, _e, code, who in codings if passes(doc, code, who))


def test_every_filter_retrieves_what_the_codings_hold(studied: tuple[Project, list]) -> None:
    project, codings = studied
    assert len(retrieve(project)) == len(codings)
    assert len(retrieve(project, codes=["2"])) == _expected(codings, code=["2"])
    category = retrieve(project, codes=["Kansen en belemmeringen"])
    assert len(category) == _expected(codings, category=["Kansen en belemmeringen"])
    assert {r.code for r in category} == {CODE_NAMES["2"], CODE_NAMES["12"]}
    assert len(retrieve(project, documents=["R02"])) == _expected(codings, document=["R02"])
    assert len(retrieve(project, coders=["bart"])) == _expected(codings, coder=["bart"])
    assert len(retrieve(project, where=["field=jeugd"])) == _expected(codings, field="jeugd")
    assert len(retrieve(project, where=["field=Wmo"], coders=["anouk"], codes=["2"])) == _expected(
        codings, field="Wmo", coder=["anouk"], code=["2"]
    )
    contains = retrieve(project, contains="CASELOAD")
    assert (
        len(contains) == sum(1 for r in retrieve(project) if "caseload" in r.text.lower())
        and contains
    )


def test_final_coding_needs_one_coder_per_document_and_then_keeps_it(
    studied: tuple[Project, list],
) -> None:
    from workbench.domain.errors import InvalidInput
    from workbench.services.final import assign

    project, codings = studied
    with pytest.raises(InvalidInput, match="R01"):
        retrieve(project, final=True)
    assign(project, ["R01"], "bart")
    final = retrieve(project, final=True)
    expected = [c for c in codings if c[0] == "R02" or c[4] == "bart"]
    assert sorted((r.document, r.coder) for r in final) == sorted((c[0], c[4]) for c in expected)


def test_quoted_text_has_no_timestamps_or_labels_and_sources_are_right(
    studied: tuple[Project, list],
) -> None:
    project, _ = studied
    (single,) = retrieve(project, documents=["R02"], codes=["2"])
    assert single.text == "Goed. De buurt helpt elkaar."
    assert (single.speaker, single.paragraph) == ("Sanne", 2)
    (two_cues,) = retrieve(project, documents=["R02"], codes=["20"])
    assert two_cues.text == "Goed. De buurt helpt elkaar.\nMaar de caseload blijft hoog."
    (turn,) = retrieve(project, documents=["R01"], codes=["9"])
    lines = INTERVIEW[140:170].split("\n")
    assert (
        turn.text
        == "\n".join(
            line.split(": ", 1)[1] if line[:2] in ("I:", "R:") else line for line in lines
        ).strip()
    )
    assert "I:" not in turn.text and "R:" not in turn.text
    assert turn.paragraph == INTERVIEW[:140].count("\n") + 1
    assert turn.attributes == ATTRIBUTES["R01"]


def test_quotations_command_formats(studied: tuple[Project, list], run: Runner) -> None:
    project, codings = studied
    result = run("quotations", "--project", project.location, "--code", "2")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("## 2 Belemmeringen collectief werken")
    assert result.stdout.count("\n> — ") == _expected(codings, code=["2"])
    assert "> — R02, par. 2, Wmo; jeugd, Oost (Sanne; coded by anouk)" in result.stdout
    as_json = json.loads(run("quotations", "-p", project.location, "--format", "json").stdout)
    assert len(as_json) == len(codings)
    assert {"quotation_id", "paragraph", "speaker", "region", "field", "text"} <= set(as_json[0])
    bad = run("quotations", "-p", project.location, "--where", "nope")
    assert bad.code != 0 and "ATTRIBUTE=VALUE" in bad.stderr


def test_codings_export_carries_the_quotation_id(
    studied: tuple[Project, list], run: Runner
) -> None:
    project, _ = studied
    rows = codings_table(project)
    with_ids = {r["quotation_id"] for r in rows}
    assert len(with_ids) == len({(r["document"], r["start"], r["end"], r["coder"]) for r in rows})
    exported = run("codings", "export", "-p", project.location)
    header = next(csv.reader(io.StringIO(exported.stdout)))
    assert header == [
        "quotation_id",
        "document",
        "start",
        "end",
        "code",
        "coder",
        "comment",
        "text",
    ]


def test_each_row_names_the_speaker_of_the_turn_its_quotation_starts_in(
    studied: tuple[Project, list],
) -> None:
    from workbench.storage import repositories as repo

    project, codings = studied
    rows = retrieve(project)
    assert len(rows) == len(codings)
    with project.unit_of_work() as session:
        ids = {name: repo.find_document_id(session, name) for name in ("R01", "R02")}
        turns = {name: repo.turns_by_document(session, [i])[i] for name, i in ids.items()}
    for row in rows:
        holding = [t[2] for t in turns[row.document] if t[0] <= row.start < t[1]]
        assert row.speaker == (holding[0] if holding else ""), row
    assert {row.speaker for row in rows} >= {"Sanne", "I"}


NESTED = """\
codebook: nested
tree: joint

- 30 Samenwerking
  - 31 Met de wijk
- 40 Overig
"""


def test_a_code_without_the_codes_under_it_is_what_a_table_cell_counts(
    project: Project, tmp_path: Path
) -> None:
    from workbench.services.counts import count_rows

    load_codebook(project, write(tmp_path / "nested.codebook", NESTED))
    files = [write(tmp_path / f"{n}.txt", INTERVIEW + f"R: {n}.\n") for n in ("R01", "R02")]
    import_transcripts(project, files)
    codings = [
        ("R01", 0, 10, "30", "anouk"),
        ("R01", 0, 10, "31", "anouk"),
        ("R01", 44, 100, "31", "anouk"),
        ("R02", 0, 10, "30", "bart"),
        ("R02", 50, 60, "40", "bart"),
    ]
    source = "document,start,end,code,coder\n" + "".join(
        f"{doc},{s},{e},{code},{who}\n" for doc, s, e, code, who in codings
    )
    import_codings(project, write(tmp_path / "codings.csv", source))
    # A code named brings the codes under it ...
    assert len(retrieve(project, codes=["30"])) == 4
    # ... unless asked for alone: then each (code, document) is the codings list's own.
    table = {str(r["nr"]): r for r in count_rows(project, by="document").records()}
    for code in ("30", "31", "40"):
        for doc in ("R01", "R02"):
            expected = sorted((s, e, who) for d, s, e, c, who in codings if (d, c) == (doc, code))
            rows = retrieve(project, codes=[code], documents=[doc], sub_codes=False)
            assert sorted((r.start, r.end, r.coder) for r in rows) == expected
            assert table[code][doc] == len(expected)
