"""REFI-QDA codebooks: our export validates against the official XSD; imports are lenient."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from tests.conftest import REPOSITORY, shared_material
from tests.helpers import write
from workbench.domain.errors import InvalidInput
from workbench.export.qdc import codebook_qdc
from workbench.importers.codebook import read_codebook
from workbench.services.codebook import export_codebook, load_codebook, show_tree
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
    assert export_codebook(project, out) == 31
    _schema().validate(str(out))
    load_codebook(project, out, tree="from qdc")
    assert [(line.depth, line.code.label) for line in show_tree(project, tree="from qdc")] == [
        (line.depth, line.code.label) for line in show_tree(project)
    ]
