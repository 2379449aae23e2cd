"""A code tree as a REFI-QDA codebook (.qdc), valid against the standard's Codebook.xsd."""

from __future__ import annotations

import uuid
from xml.etree import ElementTree as ET

from workbench.domain.codetree import Codebook, CodeSpec
from workbench.domain.errors import InvalidInput

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# GUIDs are derived from the tree and the code's path, so that exporting the same tree
# twice gives the same GUIDs (another tool can then recognise its codes).
_GUIDS = uuid.UUID("6f1c7f2e-4b8e-4c1b-9a57-0d3c2b1f9e10")


def code_guid(tree: str, path: tuple[str, ...]) -> str:
    return str(uuid.uuid5(_GUIDS, "\x1f".join((tree, *path)))).upper()


def _code_element(spec: CodeSpec, tree: str, path: tuple[str, ...]) -> ET.Element:
    here = (*path, spec.name)
    element = ET.Element(
        f"{{{NAMESPACE}}}Code",
        {
            "guid": code_guid(tree, here),
            "name": spec.name,
            "isCodable": "true" if spec.codable else "false",
        },
    )
    if spec.colour:
        element.set("color", spec.colour.upper())
    if spec.definition:
        ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = spec.definition
    for child in spec.children:
        element.append(_code_element(child, tree, here))
    return element


def codebook_qdc(book: Codebook) -> str:
    """UTF-8 XML text with '\\n' line endings; the numbers go in front of the names."""
    if not book.roots:
        raise InvalidInput("the tree is empty: a REFI-QDA codebook needs at least one code")
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": "workbench"})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    for spec in book.roots:
        codes.append(_code_element(_numbered(spec), book.tree, ()))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _numbered(spec: CodeSpec) -> CodeSpec:
    """REFI-QDA has no code numbers: keep ours as the start of the name ("12 Kansen...")."""
    return CodeSpec(
        name=f"{spec.number} {spec.name}" if spec.number is not None else spec.name,
        definition=spec.definition,
        colour=spec.colour,
        codable=spec.codable,
        children=[_numbered(child) for child in spec.children],
    )
