"""REFI-QDA codebooks: our export validates against the official XSD; imports are lenient."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from tests.conftest import REPOSITORY, Runner, shared_material
from tests.helpers import write
from workbench.domain.errors import InvalidInput
from workbench.export.qdc import codebook_qdc
from workbench.importers.codebook import read_codebook
from workbench.services.codebook import export_codebook, load_codebook, show_tree
from workbench.services.memos import add_group, list_groups
from workbench.storage.project import Project

SHIPPED = REPOSITORY / "codebooks" / "collectief-werken.codebook"


def _schema() -> xmlschema.XMLSchema:
    path = shared_material("refi", "schema", "Codebook.xsd")
    return xmlschema.XMLSchema(str(path))


def test_export_of_the_shipped_tree_is_valid_and_stable() -> None:
    book = read_codebook(SHIPPED)
    text = codebook_qdc(book)
    _schema().validate(text)
    assert text == codebook_qdc(read_codebook(SHIPPED)), "the same tree gives the same GUIDs"
    assert not text.startswith("\ufeff") and "\r" not in text


def test_qdc_round_trip_keeps_tree_numbers_colours_and_definitions(tmp_path: Path) -> None:
    book = read_codebook(SHIPPED)
    again = read_codebook(write(tmp_path / "tree.qdc", codebook_qdc(book)))
    fields = [
        (s.name, s.number, s.definition, s.colour, s.codable, len(s.children)) for s in book.walk()
    ]
    assert [
        (s.name, s.number, s.definition, s.colour, s.codable, len(s.children)) for s in again.walk()
    ] == fields


def test_atlas_ti_codebook_imports() -> None:
    sample = shared_material("refi", "samples", "atlasti-win-23.4.0_codebook.qdc")
    book = read_codebook(sample)
    (code,) = book.roots
    assert (code.name, code.definition, code.colour, code.codable) == (
        "code1",
        "description",
        "#46aa00",
        True,
    )


def test_lenient_about_namespaces_and_missing_parts(tmp_path: Path) -> None:
    text = (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
        '<Code guid="{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}" name="Ouders" isCodable="0"'
        ' color="rgba(1,2,3,1)">'
        '<Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Opvoeding" isCodable="true"'
        ' color="#abc">'
        "<Description></Description></Code></Code></Codes></CodeBook>"
    )
    book = read_codebook(write(tmp_path / "nvivo.qdc", text))
    (group,) = book.roots
    assert (group.codable, group.colour) == (False, None)
    (child,) = group.children
    assert (child.name, child.colour, child.definition) == ("Opvoeding", "#aabbcc", "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<CodeBook><Codes><Code guid="1" name="&e;" isCodable="true"/></Codes></CodeBook>',
            "DTD or entities",
        ),
        ("<CodeBook><Codes>", "not well-formed"),
        ("<Project/>", "not CodeBook"),
        ('<CodeBook><Codes><Code guid="x" isCodable="true"/></Codes></CodeBook>', "has no name"),
    ],
)
def test_hostile_or_broken_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_codebook(write(tmp_path / "bad.qdc", content))


def test_project_export_and_load_as_qdc(project: Project, tmp_path: Path) -> None:
    load_codebook(project, SHIPPED)
    out = tmp_path / "export.qdc"
    assert export_codebook(project, out).codes == 31
    _schema().validate(str(out))
    load_codebook(project, out, tree="from qdc")
    assert [(line.depth, line.code.label) for line in show_tree(project, tree="from qdc")] == [
        (line.depth, line.code.label) for line in show_tree(project)
    ]


def test_atlas_ti_code_group_becomes_a_code_group(project: Project, tmp_path: Path) -> None:
    sample = shared_material("refi", "samples", "atlasti-win-23.4.0_codebook.qdc")
    report = load_codebook(project, sample)
    assert report.groups == ["code group 1"]
    (group,) = list_groups(project)
    assert (group.kind, group.name, group.description, group.members) == (
        "code",
        "code group 1",
        "kategorie 1",
        ("code1",),
    )
    # Exported again, the code and the group's member keep ATLAS.ti's GUID.
    out = tmp_path / "again.qdc"
    export_codebook(project, out)
    _schema().validate(str(out))
    assert out.read_text(encoding="utf-8").count('"1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"') == 2


def test_code_groups_go_out_as_sets_and_come_back(
    project: Project, tmp_path: Path, run: Runner
) -> None:
    load_codebook(project, SHIPPED)
    labels = [line.code.label for line in show_tree(project) if line.code.codable]
    add_group(project, "code", "Obstakels", [labels[0], labels[3]], description="wat remt")
    add_group(project, "code", "Kansen", [labels[1]])
    out = tmp_path / "groups.qdc"
    written = export_codebook(project, out)
    assert (written.codes, written.code_groups) == (31, 2)
    _schema().validate(str(out))
    text = out.read_text(encoding="utf-8")
    assert text.count("<Set ") == 2 and text.count("<MemberCode ") == 3
    # The command line says what it wrote, sets included.
    result = run("--project", str(project.location), "codebook", "export", str(tmp_path / "b.qdc"))
    assert "wrote 31 codes and categories, with 2 code group(s) as sets," in result.stderr
    # Loaded into a project of its own, the sets are code groups again, with their members.
    from workbench.services.project import open_project

    with open_project(str(tmp_path / "other.db")) as other:
        report = load_codebook(other, out)
        assert sorted(report.groups) == ["Kansen", "Obstakels"]
        assert sorted((g.name, g.description, g.members) for g in list_groups(other)) == sorted(
            (g.name, g.description, g.members) for g in list_groups(project)
        )
        again = load_codebook(other, out)
        assert again.groups == [] and any("exists already" in n for n in again.notes)
