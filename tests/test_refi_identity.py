"""REFI-QDA identity: GUIDs, the project's name, users and dates survive import -> export
-> import (a project built here, the NVivo and ATLAS.ti samples), on SQLite and on
PostgreSQL; a second import is refused; reports say what happened in plain words."""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from tests.conftest import POSTGRES_URL, SHARED, Runner, shared_material
from tests.helpers import set_clock, small_codebook, write
from workbench.domain.errors import InvalidInput
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts, list_documents
from workbench.services.history import undo
from workbench.services.memos import add_memo
from workbench.services.project import open_project
from workbench.services.quotations import update_quotation
from workbench.services.refi import import_project
from workbench.services.refi_export import export_project
from workbench.storage.project import Project

SAMPLES = ("nvivo-win-12.6_oltas.qdpx", "atlasti-mac-8.4.0_REFI-standard-project.qde")


@pytest.fixture
def other(
    project_location: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Project]:
    """A second project on the same kind of database as `project`."""
    if not project_location.startswith("postgresql"):
        with open_project(str(tmp_path / "other.db")) as opened:
            yield opened
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    name = f"workbench_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with open_project(url) as opened:
            yield opened
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _qde(path: Path) -> str:
    if path.suffix.lower() == ".qde":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.lower() == "project.qde")
        return archive.read(name).decode("utf-8")


def _valid(path: Path) -> None:
    schema = shared_material("refi", "schema", "Project.xsd")
    xmlschema.XMLSchema(str(schema)).validate(_qde(path))


def _guids(xml: str, tag: str) -> dict[str, str]:
    """GUID (normalised) -> the element's opening tag, for every `tag` element."""
    found = {}
    for element in re.findall(rf"<(?:\w+:)?{tag}\b[^>]*>", xml):
        guid = re.search(r'\bguid="([^"]+)"', element)
        if guid:
            found[guid.group(1).strip("{}").lower()] = element
    return found


def _selections(xml: str) -> dict[str, tuple[set[str], set[str]]]:
    """Selection GUID -> the users and dates of it and its codings (normalised)."""
    found = {}
    for element in ET.fromstring(xml.encode("utf-8")).iter():
        if not element.tag.endswith("PlainTextSelection"):
            continue
        parts = [element, *(c for c in element if c.tag.endswith("Coding"))]
        users = {_key(p.get("creatingUser")) for p in parts if p.get("creatingUser")}
        dates = {_when(p.get("creationDateTime")) for p in parts if p.get("creationDateTime")}
        found[_key(element.get("guid"))] = (users, dates)
    return found


def _codings(xml: str) -> set[tuple[str, str, str]]:
    """(selection GUID, code GUID, date) of every coding."""
    found = set()
    for element in ET.fromstring(xml.encode("utf-8")).iter():
        if element.tag.endswith("PlainTextSelection"):
            for coding in (c for c in element if c.tag.endswith("Coding")):
                ref = next(r for r in coding if r.tag.endswith("CodeRef"))
                found.add(
                    (
                        _key(element.get("guid")),
                        _key(ref.get("targetGUID")),
                        _when(coding.get("creationDateTime") or element.get("creationDateTime")),
                    )
                )
    return found


def _selection_dates(xml: str) -> dict[str, str]:
    return {
        _key(element.get("guid")): _when(element.get("creationDateTime"))
        for element in ET.fromstring(xml.encode("utf-8")).iter()
        if element.tag.endswith("PlainTextSelection")
    }


def _modified(xml: str) -> dict[str, tuple[str, str]]:
    """Selection GUID -> (modifyingUser, modifiedDateTime), where the selection says."""
    return {
        _key(element.get("guid")): (
            _key(element.get("modifyingUser")),
            _when(element.get("modifiedDateTime")),
        )
        for element in ET.fromstring(xml.encode("utf-8")).iter()
        if element.tag.endswith("PlainTextSelection") and element.get("modifiedDateTime")
    }


def _key(guid: str | None) -> str:
    return (guid or "").strip("{}").lower()


def _when(value: str | None) -> str:
    return datetime.fromisoformat(value or "").astimezone(UTC).isoformat()


def _attribute(element: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', element)
    return found.group(1) if found else None


def _built(project: Project, tmp_path: Path) -> None:
    load_codebook(project, small_codebook(tmp_path))
    transcript = "I: Hoe gaat het?\nR: Goed, dank u. Het café is open.\n"
    import_transcripts(project, [write(tmp_path / "R01.txt", transcript)])
    code_passage(project, "R01", ["2"], quote="Goed, dank u", coder="anouk")
    code_passage(project, "R01", ["20"], quote="Het café is open", coder="bart")
    add_memo(project, "Plan", "Eerst de pilot.", coder="carla")  # carla codes nothing


def test_a_project_made_here_comes_back_the_same(
    project: Project, other: Project, tmp_path: Path
) -> None:
    _built(project, tmp_path)
    first, second = tmp_path / "first.qdpx", tmp_path / "second.qdpx"
    export_project(project, first)
    _valid(first)
    import_project(other, first)
    export_project(other, second)
    # Name, users (carla, who coded nothing, too), GUIDs and dates: the very same file.
    assert _qde(second) == _qde(first)
    users = {_attribute(u, "name") for u in _guids(_qde(first), "User").values()}
    assert users == {"anouk", "bart", "carla"}


def test_coding_dates_and_who_changed_a_quotation_come_back(
    project: Project, other: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A code added a day later keeps its own date; the coder who changed the comment
    and when are the selection's modifyingUser and modifiedDateTime, both ways."""
    _built(project, tmp_path)

    def clock(when: datetime) -> None:
        set_clock(monkeypatch, when)

    clock(datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC))
    result = code_passage(project, "R01", ["20"], quote="Goed, dank u", coder="anouk")
    clock(datetime(2030, 5, 7, 10, 0, 0, tzinfo=UTC))
    update_quotation(project, result.quotation.id, coder="anouk", comment="nakijken")
    first, second = tmp_path / "first.qdpx", tmp_path / "second.qdpx"
    export_project(project, first)
    _valid(first)
    xml = _qde(first)
    anouk = next(g for g, u in _guids(xml, "User").items() if _attribute(u, "name") == "anouk")
    selection = next(s for s in _guids(xml, "PlainTextSelection").values() if "Goed" in s)
    assert _key(_attribute(selection, "modifyingUser")) == anouk
    assert _attribute(selection, "modifiedDateTime") == "2030-05-07T10:00:00Z"
    made = _attribute(selection, "creationDateTime")
    dates = sorted(
        when for _s, _code, when in _codings(xml) if _s == _key(_attribute(selection, "guid"))
    )
    assert dates == sorted([_when(made), "2030-05-06T07:08:09+00:00"])
    # The quotation nobody changed says nothing of a change.
    other_selection = next(s for s in _guids(xml, "PlainTextSelection").values() if "café" in s)
    assert _attribute(other_selection, "modifiedDateTime") is None
    import_project(other, first)
    export_project(other, second)
    assert _qde(second) == xml
    # Undoing the edit takes the modification away again.
    undo(project, "anouk")
    export_project(project, second)
    assert "modifiedDateTime" not in _qde(second)


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_sample_keeps_guids_names_users_and_dates(
    project: Project, other: Project, tmp_path: Path, sample: str
) -> None:
    original = _qde(shared_material("refi", "samples", sample))
    report = import_project(project, SHARED / "refi" / "samples" / sample)
    first, second = tmp_path / "first.qdpx", tmp_path / "second.qdpx"
    export_project(project, first)
    _valid(first)
    exported = _qde(first)
    project_element = re.search(r"<Project\b[^>]*>", original)
    assert project_element is not None
    assert _attribute(exported, "name") == _attribute(project_element.group(0), "name")
    assert _attribute(exported, "creationDateTime") == _attribute(
        project_element.group(0), "creationDateTime"
    )
    for tag in ("User", "Code", "TextSource"):
        kept = set(_guids(exported, tag))
        wanted = set(_guids(original, tag))
        if tag == "TextSource":  # pictures, PDF, audio and video are not imported
            wanted &= kept
            assert len(kept) == len(report.documents)
        assert kept == wanted, tag
    # Every selection written is one of the file's, by one of its users, dated when the
    # first of the selections on its span (and their codings) was made: never the import.
    selections = _selections(original)
    written = _selections(exported)
    assert len(written) == report.quotations and set(written) <= set(selections)
    every_date = {d for _users, dates in selections.values() for d in dates}
    for guid, (users, dates) in written.items():
        assert users <= selections[guid][0]
        assert dates <= every_date
    assert len({d for _users, dates in written.values() for d in dates}) > 1
    # Each coding keeps its own date (the selections of one span, as NVivo writes one per
    # coding, are one quotation), and each selection who changed it last and when.
    # (A code coded twice on one span is one coding, of the earlier date.)
    codings = _codings(exported)
    assert {(code, when) for _s, code, when in codings} <= {
        (code, when) for _s, code, when in _codings(original)
    }
    later = [c for c in codings if c[2] != _selection_dates(exported)[c[0]]]
    assert later or not [c for c in _codings(original) if c[2] != _selection_dates(original)[c[0]]]
    modified = _modified(exported)
    assert modified and set(modified.values()) <= set(_modified(original).values())
    # And through a second project, the same file again.
    import_project(other, first)
    export_project(other, second)
    assert _qde(second) == exported


def test_a_second_import_is_refused_and_as_new_makes_a_copy(
    project: Project, tmp_path: Path
) -> None:
    sample = shared_material("refi", "samples", SAMPLES[0])
    import_project(project, sample)
    before = codings_table(project)
    with pytest.raises(InvalidInput, match=r"imported already.*videos_selection.*--as-new"):
        import_project(project, sample)
    assert codings_table(project) == before and len(list_documents(project)) == 1
    copy = import_project(project, sample, as_new=True)
    assert copy.documents == ["videos_selection (2)"]
    # The copy has GUIDs of its own: an export has no GUID twice and is valid.
    out = tmp_path / "both.qdpx"
    export_project(project, out)
    _valid(out)
    sources = _guids(_qde(out), "TextSource")
    assert len(sources) == 2


def test_our_own_export_imported_back_is_refused_by_its_text(
    project: Project, tmp_path: Path
) -> None:
    _built(project, tmp_path)
    out = tmp_path / "study.qdpx"
    export_project(project, out)
    with pytest.raises(InvalidInput, match=r"R01: the same text"):
        import_project(project, out)


def test_the_command_line_refuses_a_second_import(run: Runner, tmp_path: Path) -> None:
    sample = str(shared_material("refi", "samples", SAMPLES[1]))
    assert run("--project", "a.db", "import-project", sample).code == 0
    again = run("--project", "a.db", "import-project", sample)
    assert again.code == 1 and "imported already" in again.stderr
    copy = run("--project", "a.db", "import-project", sample, "--as-new")
    assert copy.code == 0, copy.stderr


def test_a_forced_wrong_reading_warns(project: Project) -> None:
    sample = shared_material("refi", "samples", SAMPLES[0])
    report = import_project(project, sample, positions="codepoints")
    (warning,) = report.warnings
    assert warning.startswith("videos_selection: --positions codepoints reads the positions")
    assert "counted in UTF-16 units" in warning and "probably misplaced" in warning


def test_the_report_names_dropped_sets(project: Project) -> None:
    report = import_project(project, shared_material("refi", "samples", SAMPLES[1]))
    assert "set 'Images': not imported: its members (1 picture source(s)) are not imported" in (
        report.skipped
    )


TWO_FUNS = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Twee" origin="ATLAS.ti">
  <CodeBook><Codes>
    <Code guid="10000000-0000-0000-0000-000000000001" name="kinderen" isCodable="true">
      <Code guid="10000000-0000-0000-0000-000000000002" name="fun" isCodable="true"/>
    </Code>
    <Code guid="10000000-0000-0000-0000-000000000003" name="werk" isCodable="true">
      <Code guid="10000000-0000-0000-0000-000000000004" name="fun" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="20000000-0000-0000-0000-000000000001" name="leeg.txt">
      <PlainTextContent> </PlainTextContent>
    </TextSource>
  </Sources>
</Project>
"""


def test_renamed_codes_and_empty_documents_are_reported(project: Project, tmp_path: Path) -> None:
    report = import_project(project, write(tmp_path / "twee.qde", TWO_FUNS))
    (renamed,) = report.renamed
    assert renamed.startswith("code 'fun' (under 'werk') imported as 'fun (2)': tree ")
    assert not any("fun" in line for line in report.skipped)
    (warning,) = report.warnings
    assert warning.startswith("leeg: the document is empty (1 character(s))")


def test_the_qc_flavour_names_whole_lines(project: Project, tmp_path: Path) -> None:
    _built(project, tmp_path)
    code_passage(project, "R01", ["9"], span=(0, 16), coder="anouk")  # line 0, whole
    out = tmp_path / "qc.qdpx"
    report = export_project(project, out, flavour="qc")
    _valid(out)
    names = sorted(
        _attribute(e, "name") or "" for e in _guids(_qde(out), "PlainTextSelection").values()
    )
    assert names == ["line:0", "line:1"]
    # The two quotations on line 1 are parts of it: qc codes the whole line, and says so.
    assert len(report.warnings) == 2
    assert all("is not whole lines; qc codes line 1 whole" in w for w in report.warnings)


QC_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="bestuur" origin="qc">
  <Users><User guid="30000000-0000-0000-0000-000000000001" name="dana"/></Users>
  <CodeBook><Codes>
    <Code guid="10000000-0000-0000-0000-000000000001" name="besluit" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="20000000-0000-0000-0000-000000000001"
        plainTextPath="internal://board_2017.txt">
      <PlainTextSelection guid="40000000-0000-0000-0000-000000000001" name="line:1"
          startPosition="13" endPosition="29"
          creatingUser="30000000-0000-0000-0000-000000000001"
          creationDateTime="2017-05-02T09:30:00Z">
        <Coding guid="50000000-0000-0000-0000-000000000001"
            creatingUser="30000000-0000-0000-0000-000000000001">
          <CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="20000000-0000-0000-0000-000000000002"
        plainTextPath="internal://20000000-0000-0000-0000-000000000002.txt"/>
  </Sources>
</Project>
"""


def test_qc_sources_are_named_by_their_file_never_a_guid(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bestuur.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", QC_QDE)
        archive.writestr("sources/board_2017.txt", "Opening 9:00\nHet besluit valt\n")
        archive.writestr("sources/20000000-0000-0000-0000-000000000002.txt", "Notulen.\n")
    report = import_project(project, path)
    assert report.documents == ["board_2017", "source 2"]
    (row,) = codings_table(project)
    assert (row["text"], row["code"], row["coder"]) == ("Het besluit valt", "besluit", "dana")
    out = tmp_path / "back.qdpx"
    export_project(project, out)
    kept = {
        "40000000-0000-0000-0000-000000000001": (
            {"30000000-0000-0000-0000-000000000001"},
            {"2017-05-02T09:30:00+00:00"},
        )
    }
    assert _selections(_qde(out)) == kept
    # Back to qc: the same line, its GUID kept.
    export_project(project, out, flavour="qc")
    assert _selections(_qde(out)) == kept
    (element,) = _guids(_qde(out), "PlainTextSelection").values()
    assert _attribute(element, "name") == "line:1"


def test_codes_of_a_loaded_codebook_are_found_by_guid(project: Project, tmp_path: Path) -> None:
    qdc = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="{10000000-0000-0000-0000-000000000002}" name="fun" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    load_codebook(project, write(tmp_path / "atlas.qdc", qdc), tree="default")
    report = import_project(project, write(tmp_path / "twee.qde", TWO_FUNS), tree="default")
    assert report.matched == [
        "1 code(s) of the file are codes of tree 'default' already (the same GUID): fun"
    ]
    assert report.codes == 3  # kinderen, werk and werk's fun, renamed
    (renamed,) = report.renamed
    assert renamed.startswith("code 'fun' (under 'werk') imported as 'fun (2)'")
