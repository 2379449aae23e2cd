"""The use-cases on a real project, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import InvalidInput, NotFound
from workbench.services.codebook import export_codebook, load_codebook, show_tree
from workbench.services.coding import code_passage, codings_table, import_codings
from workbench.services.counts import counts_table
from workbench.services.documents import import_transcripts, list_documents
from workbench.services.project import open_project
from workbench.storage import repositories as repo
from workbench.storage.project import Project


def _operations(project: Project) -> list[str]:
    with project.unit_of_work() as session:
        return [op.kind for op in reversed(repo.list_operations(session))]


def _quotation_count(project: Project) -> int:
    return sum(d.quotations for d in list_documents(project))


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """A project with the small tree and one interview, R01."""
    load_codebook(project, small_codebook(tmp_path))
    report = import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    assert report.imported == ["R01"]
    return project


# --- transcripts ----------------------------------------------------------------------


def test_import_reports_bad_files_and_keeps_the_good_ones(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "R01.txt", INTERVIEW)
    write(folder / "R02.txt", b"")
    write(folder / "R03.txt", b"\x00\x01\x02binary")
    write(folder / "attributes.csv", "document,team\nR01,Noord\n")
    report = import_transcripts(project, [folder], attributes=folder / "attributes.csv")
    assert report.imported == ["R01"]
    assert len(report.failed) == 2
    assert "R02.txt: the file is empty" in report.failed[0]
    assert "R03.txt" in report.failed[1] and "binary" in report.failed[1]
    assert report.ignored == ["attributes.csv"]
    (summary,) = list_documents(project)
    assert (summary.name, summary.attributes) == ("R01", {"team": "Noord"})
    assert summary.length == len(INTERVIEW)


def test_reimport_of_the_same_content_is_skipped_unless_forced(
    project: Project, tmp_path: Path
) -> None:
    path = write(tmp_path / "R01.txt", INTERVIEW)
    import_transcripts(project, [path])
    again = import_transcripts(project, [path])
    assert again.imported == [] and "already imported" in again.duplicates[0]
    forced = import_transcripts(project, [path], force=True)
    assert forced.imported == ["R01 (2)"]
    assert [d.name for d in list_documents(project)] == ["R01", "R01 (2)"]


def test_same_name_with_other_content_fails_without_force(project: Project, tmp_path: Path) -> None:
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    other = tmp_path / "other"
    other.mkdir()
    report = import_transcripts(project, [write(other / "R01.docx.txt", "x")])
    assert report.ok  # a different name: R01.docx
    report = import_transcripts(project, [write(other / "R01.txt", INTERVIEW + "meer")])
    assert not report.ok and "already exists with different content" in report.failed[0]


def test_attributes_for_unknown_documents_are_noted_not_fatal(
    project: Project, tmp_path: Path
) -> None:
    attributes = write(tmp_path / "attrs.csv", "document,team\nR01.txt,Oost\nR99,West\n")
    report = import_transcripts(
        project, [write(tmp_path / "R01.txt", INTERVIEW)], attributes=attributes
    )
    assert report.attributes_set == 1
    assert report.attribute_notes == [
        "attrs.csv, row 3: no document 'R99' in the project; row skipped"
    ]


def test_a_bad_attributes_file_stops_the_import_before_anything_is_stored(
    project: Project, tmp_path: Path
) -> None:
    attributes = write(tmp_path / "attrs.csv", "document,team\nR01,Oost,extra\n")
    with pytest.raises(InvalidInput, match=r"attrs\.csv, row 2"):
        import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)], attributes=attributes)
    assert list_documents(project) == []


# --- code tree ------------------------------------------------------------------------


def test_codebook_load_show_and_reload(project: Project, tmp_path: Path) -> None:
    path = small_codebook(tmp_path)
    report = load_codebook(project, path, coder="anouk")
    assert len(report.added) == 6
    lines = show_tree(project)
    assert [(line.depth, line.code.label) for line in lines] == [
        (0, "9 Definitie collectief werken"),
        (0, "Kansen en belemmeringen"),
        (1, "2 Belemmeringen collectief werken"),
        (1, "12 Kansen/mogelijkheden collectief werken"),
        (0, "Kennis"),
        (1, "20 Sociale kaart"),
    ]
    write(path, path.read_text(encoding="utf-8").replace("Opportunities.", "Chances."))
    again = load_codebook(project, path)
    assert (again.added, again.updated) == ([], ["12 Kansen/mogelijkheden collectief werken"])
    assert _operations(project) == ["codebook.load", "codebook.load"]


def test_codebook_export_and_load_into_another_tree(project: Project, tmp_path: Path) -> None:
    load_codebook(project, small_codebook(tmp_path))
    out = tmp_path / "out.csv"
    assert export_codebook(project, out).codes == 6
    load_codebook(project, out, tree="bart")
    assert [line.code.label for line in show_tree(project, tree="bart")] == [
        line.code.label for line in show_tree(project)
    ]


# --- coding ---------------------------------------------------------------------------


def test_code_by_span_and_quote(coded: Project) -> None:
    start = INTERVIEW.index("De caseload")
    by_span = code_passage(coded, "R01", ["2"], span=(start, start + 11), coder="anouk")
    assert (by_span.quotation.start, by_span.quotation.end, by_span.created) == (
        start,
        start + 11,
        True,
    )
    by_quote = code_passage(
        coded, "R01.txt", ["Sociale kaart"], quote="vragen van mensen", coder="anouk"
    )
    assert INTERVIEW[by_quote.quotation.start : by_quote.quotation.end] == "vragen van mensen"


def test_fuzzy_quote_is_found_and_a_poor_one_refused_with_the_candidate(coded: Project) -> None:
    result = code_passage(
        coded, "R01", ["2"], quote="De caseload. Die is te hoog, ehct te hoog", coder="bart"
    )
    assert result.match is not None and 90 <= result.match.score < 100
    assert (
        INTERVIEW[result.quotation.start : result.quotation.end]
        == "De caseload. Die is te hoog, echt te hoog"
    )
    with pytest.raises(InvalidInput, match=r"best candidate scores \d+ \(below 90\)"):
        code_passage(
            coded, "R01", ["2"], quote="geheel andere woorden over budgetten", coder="bart"
        )


def test_same_span_same_coder_gives_one_quotation_with_several_codes(coded: Project) -> None:
    first = code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    second = code_passage(coded, "R01", ["12", "9"], span=(0, 10), coder="anouk")
    assert second.quotation.id == first.quotation.id and not second.created
    assert len(second.quotation.code_ids) == 3
    other_coder = code_passage(coded, "R01", ["2"], span=(0, 10), coder="bart")
    assert other_coder.quotation.id != first.quotation.id
    with pytest.raises(InvalidInput, match="already carries"):
        code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    assert _operations(coded)[-3:] == ["quotation.create", "quotation.link", "quotation.create"]


@pytest.mark.parametrize(
    ("document", "codes", "span", "error", "message"),
    [
        ("R99", ["2"], (0, 5), NotFound, "no document 'R99'"),
        ("R01", ["77"], (0, 5), NotFound, "no code '77'"),
        ("R01", ["Kennis"], (0, 5), InvalidInput, "is a category, not a code"),
        ("R01", ["2"], (0, 10_000), InvalidInput, "past the end of the text"),
    ],
)
def test_bad_coding_changes_nothing(
    coded: Project,
    document: str,
    codes: list[str],
    span: tuple[int, int],
    error: type,
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        code_passage(coded, document, codes, span=span, coder="anouk")
    assert _quotation_count(coded) == 0


def test_coding_needs_a_coder(coded: Project) -> None:
    with pytest.raises(InvalidInput, match="--coder"):
        code_passage(coded, "R01", ["2"], span=(0, 5), coder=None)


def test_codings_import_is_all_or_nothing_and_lists_every_bad_row(
    coded: Project, tmp_path: Path
) -> None:
    bad = write(
        tmp_path / "codings.csv",
        "document,start,end,code,coder,comment\n"
        "R01,0,10,2,anouk,\n"
        "R99,0,10,2,anouk,\n"
        "R01,0,10,77,anouk,\n"
        "R01,5,99999,2,anouk,\n"
        "R01,0,10,2,,\n",
    )
    with pytest.raises(InvalidInput) as raised:
        import_codings(coded, bad)
    message = str(raised.value)
    assert "4 bad row(s), nothing imported" in message
    for row, reason in [
        (3, "no document 'R99'"),
        (4, "no code '77'"),
        (5, "past the end"),
        (6, "no coder"),
    ]:
        assert f"codings.csv, row {row}: " in message and reason in message
    assert _quotation_count(coded) == 0


def test_codings_rows_with_one_span_make_one_quotation_and_export_round_trips(
    coded: Project, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "codings.csv",
        "document,start,end,code,coder,comment\n"
        "R01,0,10,2,anouk,eerste\n"
        "R01,0,10,12,anouk,\n"
        "R01,0,10,2,bart,\n"
        "R01,44,60,Sociale kaart,,\n",
    )
    result = import_codings(coded, source, coder="anouk")
    assert (result.quotations, result.codings) == (3, 4)
    rows = codings_table(coded)
    assert [(r["start"], r["end"], r["coder"], r["code"]) for r in rows] == [
        (0, 10, "anouk", "Belemmeringen collectief werken"),
        (0, 10, "anouk", "Kansen/mogelijkheden collectief werken"),
        (0, 10, "bart", "Belemmeringen collectief werken"),
        (44, 60, "anouk", "Sociale kaart"),
    ]
    assert rows[0]["text"] == INTERVIEW[0:10] and rows[0]["comment"] == "eerste"
    again = import_codings(coded, source, coder="anouk")  # the same file twice adds nothing
    assert (again.quotations, again.codings) == (0, 0)


def test_codings_by_quote_column(coded: Project, tmp_path: Path) -> None:
    source = write(
        tmp_path / "q.csv", "document,coder,code,quote\nR01,anouk,2,De caseload. Die is te hoog\n"
    )
    assert import_codings(coded, source).quotations == 1
    (row,) = codings_table(coded)
    assert row["text"] == "De caseload. Die is te hoog"


# --- counts ---------------------------------------------------------------------------


@pytest.fixture
def counted(coded: Project, tmp_path: Path) -> Project:
    """Two documents, two coders, known counts (worked out by hand below)."""
    import_transcripts(
        coded,
        [write(tmp_path / "R02.txt", INTERVIEW + "I: Nog iets?\n")],
        attributes=write(tmp_path / "a.csv", "document,specialisation\nR01,Wmo\nR02,Wmo; jeugd\n"),
    )
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\n"
        "R01,0,10,2,anouk\n"  # q1: codes 2 and 12, both under the group 'Kansen en belemmeringen'
        "R01,0,10,12,anouk\n"
        "R01,20,30,2,anouk\n"  # q2
        "R02,0,10,2,bart\n"  # q3
        "R02,40,50,20,bart\n",  # q4
    )
    import_codings(coded, tmp_path / "c.csv")
    return coded


def _rows(frame: object) -> dict[str, dict[str, object]]:
    return {str(row["code"]).strip(): row for row in frame.to_dict(orient="records")}  # type: ignore[attr-defined]


def test_counts_per_code_with_groups_and_total(counted: Project) -> None:
    rows = _rows(counts_table(counted))
    assert rows["Belemmeringen collectief werken"]["citations"] == 3
    assert rows["Belemmeringen collectief werken"]["documents"] == 2
    assert rows["Kansen/mogelijkheden collectief werken"]["citations"] == 1
    # q1 carries two codes of the group: the group counts it once (3 distinct, not 4).
    assert rows["Kansen en belemmeringen"]["citations"] == 3
    assert rows["Kansen en belemmeringen"]["type"] == "category"
    assert rows["Definitie collectief werken"]["citations"] == 0  # unused codes are listed
    assert (rows["Total"]["citations"], rows["Total"]["documents"]) == (5, 2)


def test_counts_for_one_coder(counted: Project) -> None:
    rows = _rows(counts_table(counted, coders=["bart"]))
    assert rows["Belemmeringen collectief werken"]["citations"] == 1
    assert rows["Sociale kaart"]["citations"] == 1
    with pytest.raises(NotFound, match="no coder 'carla'"):
        counts_table(counted, coders=["carla"])


def test_code_document_table(counted: Project) -> None:
    rows = _rows(counts_table(counted, by="document"))
    assert (
        rows["Belemmeringen collectief werken"]["R01"],
        rows["Belemmeringen collectief werken"]["R02"],
    ) == (2, 1)
    assert rows["Kansen en belemmeringen"]["R01"] == 2
    assert (rows["Total"]["R01"], rows["Total"]["R02"], rows["Total"]["citations"]) == (3, 2, 5)


def test_counts_by_attribute_count_each_part_of_a_multiple_value(counted: Project) -> None:
    frame = counts_table(counted, by="specialisation")
    assert list(frame.columns) == ["nr", "code", "type", "Wmo", "jeugd", "citations"]
    rows = _rows(frame)
    assert (rows["Sociale kaart"]["Wmo"], rows["Sociale kaart"]["jeugd"]) == (1, 1)
    assert rows["Belemmeringen collectief werken"]["Wmo"] == 3
    with pytest.raises(InvalidInput, match=r"no document attribute 'team'.*specialisation"):
        counts_table(counted, by="team")


NESTED_CODEBOOK = """\
codebook: nested
tree: joint

* A
  * B
    - 1 one
    - 2 two
  - 3 three
- 4 four
"""


def test_nested_groups_count_distinct_quotations_with_and_without_columns(
    project_location: str, tmp_path: Path
) -> None:
    """A quotation with several codes under a group counts once in it, at every level;
    the table without columns (read per code) says what the one per document sums to."""
    from workbench.services.counts import count_rows_at

    write(tmp_path / "R02.txt", INTERVIEW + "I: Nog iets?\n")
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\n"
        + "".join(
            f"{document},{start},{start + 5},{code},{coder}\n"
            for document, start, codes, coder in [
                ("R01", 0, "12", "anouk"),  # under B and A: counts once in each
                ("R01", 10, "13", "anouk"),  # under A only twice
                ("R01", 20, "24", "anouk"),
                ("R02", 0, "3", "bart"),
                ("R02", 10, "123", "bart"),  # three codes under A, two under B
            ]
            for code in codes
        ),
    )
    with open_project(project_location) as project:
        load_codebook(project, write(tmp_path / "n.codebook", NESTED_CODEBOOK))
        import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW), tmp_path / "R02.txt"])
        assert import_codings(project, tmp_path / "c.csv").quotations == 5
        plain = _rows(counts_table(project))
        by_document = _rows(counts_table(project, by="document"))
        bart = _rows(counts_table(project, coders=["bart"]))
    cells = {name: (row["citations"], row["documents"]) for name, row in plain.items()}
    assert cells == {
        "A": (5, 2),
        "B": (4, 2),
        "one": (3, 2),
        "two": (3, 2),
        "three": (3, 2),
        "four": (1, 1),
        "Total": (10, 2),
    }
    assert (by_document["A"]["R01"], by_document["A"]["R02"]) == (3, 2)
    assert (by_document["B"]["R01"], by_document["B"]["R02"]) == (3, 1)
    for name, row in plain.items():
        assert by_document[name]["citations"] == row["citations"]
    assert {n: r["citations"] for n, r in bart.items()} == {
        "A": 2,
        "B": 1,
        "one": 1,
        "two": 1,
        "three": 2,
        "four": 0,
        "Total": 4,
    }
    if project_location.endswith(".db"):  # SQLite at the current schema: the direct path too
        direct = count_rows_at(project_location)
        assert {str(r[1]).strip(): (r[3], r[4]) for r in direct.rows} == cells


def test_a_group_counts_a_quotation_once_as_its_codes_come_and_go(
    project_location: str, tmp_path: Path
) -> None:
    """Codes added to a quotation one at a time (through the ORM and, on SQLite,
    `workbench code`'s direct path), undone, redone and merged: a group counts each
    quotation once, with and without columns."""
    from workbench.services.codebook_edits import merge_codes
    from workbench.services.counts import count_rows_at
    from workbench.services.history import redo, undo
    from workbench.services.passage import code_at

    def counts(project: Project) -> dict[str, int]:
        plain = _rows(counts_table(project))
        by_document = _rows(counts_table(project, by="document"))
        assert {n: r["citations"] for n, r in by_document.items()} == {
            n: r["citations"] for n, r in plain.items()
        }
        return {n: int(r["citations"]) for n, r in plain.items() if n in ("A", "B", "two")}

    with open_project(project_location) as project:
        load_codebook(project, write(tmp_path / "n.codebook", NESTED_CODEBOOK))
        import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
        code_passage(project, "R01", ["1"], span=(0, 5), coder="anouk")
        code_passage(project, "R01", ["3"], span=(10, 15), coder="anouk")
        code_passage(project, "R01", ["2"], span=(0, 5), coder="anouk")  # the same quotation
        assert counts(project) == {"A": 2, "B": 1, "two": 1}
    code_at(project_location, "R01", ["3"], span=(0, 5), coder="anouk")  # its third code
    with open_project(project_location) as project:
        assert counts(project) == {"A": 2, "B": 1, "two": 1}
        undo(project, "anouk")
        undo(project, "anouk")  # the quotation has code 1 alone again
        assert counts(project) == {"A": 2, "B": 1, "two": 0}
        redo(project, "anouk")
        assert counts(project) == {"A": 2, "B": 1, "two": 1}
        merge_codes(project, ["one"], "two", coder="anouk")
        assert counts(project) == {"A": 2, "B": 1, "two": 1}
        merge_codes(project, ["three"], "two", coder="anouk")
        assert counts(project) == {"A": 2, "B": 2, "two": 2}
        undo(project, "anouk")
        assert counts(project) == {"A": 2, "B": 1, "two": 1}
    if project_location.endswith(".db"):  # the direct path reads the same code sets
        direct = count_rows_at(project_location)
        assert {str(r[1]).strip(): r[3] for r in direct.rows if str(r[1]).strip() in "AB"} == {
            "A": 2,
            "B": 1,
        }


def test_every_change_is_in_the_operation_log(counted: Project) -> None:
    assert _operations(counted) == [
        "codebook.load",
        "documents.import",
        "documents.import",
        "attributes.import",  # the attributes of an import: undoable on their own
        "codings.import",
    ]


def test_a_failed_demo_build_leaves_no_half_project(tmp_path: Path) -> None:
    from workbench.services.demo import build_demo

    material = tmp_path / "material"
    (material / "codings").mkdir(parents=True)
    write(material / "R01.txt", INTERVIEW)
    write(material / "codings" / "R01.csv", "document,coder,code,quote\nR09,anouk,2,De caseload\n")
    out = tmp_path / "demo.db"
    with pytest.raises(InvalidInput, match="no document 'R09'"):
        build_demo(out, transcripts=material, codebook=small_codebook(tmp_path))
    assert not out.exists() and not list(tmp_path.glob("demo.db*"))
