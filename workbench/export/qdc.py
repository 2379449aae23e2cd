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


def _code_element(
    spec: CodeSpec, tree: str, path: tuple[str, ...], written: dict[str, str]
) -> ET.Element:
    """`written` gathers each code's name -> the GUID written for it (for the sets).

    REFI-QDA has no code numbers: ours go in front of the name ("12 Kansen...")."""
    label = f"{spec.number} {spec.name}" if spec.number is not None else spec.name
    here = (*path, label)
    guid = spec.guid or code_guid(tree, here)
    written.setdefault(spec.name, guid)
    element = ET.Element(
        f"{{{NAMESPACE}}}Code",
        {"guid": guid, "name": label, "isCodable": "true" if spec.codable else "false"},
    )
    if spec.colour:
        element.set("color", spec.colour.upper())
    if spec.definition:
        ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = spec.definition
    for child in spec.children:
        element.append(_code_element(child, tree, here, written))
    return element


def codebook_qdc(book: Codebook) -> str:
    """UTF-8 XML text with '\\n' line endings: the codes, then the code groups as <Sets>."""
    if not book.roots:
        raise InvalidInput("the tree is empty: a REFI-QDA codebook needs at least one code")
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": "workbench"})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    written: dict[str, str] = {}
    for spec in book.roots:
        codes.append(_code_element(spec, book.tree, (), written))
    groups = [g for g in book.groups if any(name in written for name in g.members)]
    if groups:  # the schema allows no empty <Sets>
        sets = ET.SubElement(root, f"{{{NAMESPACE}}}Sets")
        for group in groups:
            guid = group.guid or code_guid(book.tree, ("\x1eset", group.name))
            element = ET.SubElement(sets, f"{{{NAMESPACE}}}Set", {"guid": guid, "name": group.name})
            if group.description:
                ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = group.description
            for name in group.members:
                if name in written:
                    ET.SubElement(element, f"{{{NAMESPACE}}}MemberCode", {"guid": written[name]})
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
