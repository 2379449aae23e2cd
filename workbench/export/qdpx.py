"""A project as a REFI-QDA project file (.qdpx): project.qde plus sources/<GUID>.txt.

Strict, as the standard asks: valid against Project.xsd, UTF-8 without BOM, '\\n' line
endings, lower-case sources/ and project.qde, no empty containers, positions in code
points, and GUIDs derived from names so that the same project exports the same GUIDs.
"""

from __future__ import annotations

import bisect
import functools
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from workbench.domain.codetree import CodeSpec

NAMESPACE = "urn:QDA-XML:project:1.0"
_ROOT = uuid.UUID("0b7d8f4e-2a51-4d1e-9a3c-5f7e6d2c1b0a")


@functools.lru_cache(maxsize=65536)  # users and codes are asked for again and again
def guid(*parts: str) -> str:
    return str(uuid.uuid5(_ROOT, "\x1f".join(parts))).upper()


@dataclass
class ExportQuotation:
    start: int
    end: int
    coder: str
    comment: str
    created: str  # xsd:dateTime
    code_paths: list[tuple[str, ...]]


@dataclass
class ExportMemo:
    title: str
    text: str
    # What it is about: ("code", path...), ("document", name), ("quotation", name, start,
    # end, coder), or () for the project.
    target: tuple[str, ...] = ()


@dataclass
class ExportGroup:
    name: str
    description: str
    code_paths: list[tuple[str, ...]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


@dataclass
class ExportDocument:
    name: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    quotations: list[ExportQuotation] = field(default_factory=list)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _note_refs(
    element: ET.Element, notes: dict[tuple[str, ...], list[str]], key: tuple[str, ...]
) -> None:
    for note in notes.get(key, []):
        ET.SubElement(element, _q("NoteRef"), {"targetGUID": note})


def _code(
    spec: CodeSpec, path: tuple[str, ...], notes: dict[tuple[str, ...], list[str]]
) -> ET.Element:
    here = (*path, spec.name)
    element = ET.Element(
        _q("Code"),
        {
            "guid": guid("code", *here),
            "name": f"{spec.number} {spec.name}" if spec.number is not None else spec.name,
            "isCodable": "true" if spec.codable else "false",
        },
    )
    if spec.colour:
        element.set("color", spec.colour.upper())
    if spec.definition:
        ET.SubElement(element, _q("Description")).text = spec.definition
    _note_refs(element, notes, ("code", *here))
    for child in spec.children:
        element.append(_code(child, here, notes))
    return element


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """Code point offset -> UTF-16 offset: one more unit for each character beyond the BMP."""
    astral = [index for index, ch in enumerate(text) if ord(ch) > 0xFFFF]
    return lambda offset: offset + bisect.bisect_left(astral, offset)


def write_qdpx(
    path: Path,
    name: str,
    coders: Sequence[str],
    codes: Sequence[CodeSpec],
    documents: Sequence[ExportDocument],
    memos: Sequence[ExportMemo] = (),
    groups: Sequence[ExportGroup] = (),
    positions: str = "codepoints",
) -> None:
    """Positions in code points, as the standard says; "utf16" writes UTF-16 units instead,
    for a tool that counts those (NVivo)."""
    ET.register_namespace("", NAMESPACE)
    notes: dict[tuple[str, ...], list[str]] = {}
    memo_guids = []
    for number, memo in enumerate(memos):
        memo_guid = guid("memo", str(number), memo.title, *memo.target)
        memo_guids.append(memo_guid)
        notes.setdefault(memo.target, []).append(memo_guid)
    root = ET.Element(_q("Project"), {"name": name, "origin": "workbench"})
    if coders:
        users = ET.SubElement(root, _q("Users"))
        for coder in coders:
            ET.SubElement(users, _q("User"), {"guid": guid("user", coder), "name": coder})
    if codes:
        codebook = ET.SubElement(root, _q("CodeBook"))
        container = ET.SubElement(codebook, _q("Codes"))
        for spec in codes:
            container.append(_code(spec, (), notes))
    keys = sorted({key for d in documents for key in d.attributes})
    if keys:
        variables = ET.SubElement(root, _q("Variables"))
        for key in keys:
            ET.SubElement(
                variables,
                _q("Variable"),
                {"guid": guid("variable", key), "name": key, "typeOfVariable": "Text"},
            )
    files: list[tuple[str, str]] = []
    if documents:
        sources = ET.SubElement(root, _q("Sources"))
        for document in documents:
            source_guid = guid("document", document.name)
            files.append((f"sources/{source_guid}.txt", document.text))
            source = ET.SubElement(
                sources,
                _q("TextSource"),
                {
                    "guid": source_guid,
                    "name": document.name,
                    "plainTextPath": f"internal://{source_guid}.txt",
                },
            )
            unit = _utf16_offsets(document.text) if positions == "utf16" else None
            for q in document.quotations:
                selection_guid = guid("quotation", document.name, str(q.start), str(q.end), q.coder)
                selection = ET.SubElement(
                    source,
                    _q("PlainTextSelection"),
                    {
                        "guid": selection_guid,
                        "name": " ".join(document.text[q.start : q.end].split())[:200],
                        "startPosition": str(unit(q.start) if unit else q.start),
                        "endPosition": str(unit(q.end) if unit else q.end),
                        "creatingUser": guid("user", q.coder),
                        "creationDateTime": q.created,
                    },
                )
                if q.comment:
                    ET.SubElement(selection, _q("Description")).text = q.comment
                for code_path in q.code_paths:
                    coding = ET.SubElement(
                        selection,
                        _q("Coding"),
                        {
                            "guid": guid("coding", selection_guid, *code_path),
                            "creatingUser": guid("user", q.coder),
                            "creationDateTime": q.created,
                        },
                    )
                    ET.SubElement(coding, _q("CodeRef"), {"targetGUID": guid("code", *code_path)})
                _note_refs(
                    selection,
                    notes,
                    ("quotation", document.name, str(q.start), str(q.end), q.coder),
                )
            _note_refs(source, notes, ("document", document.name))
            for key in keys:
                if key in document.attributes:
                    value = ET.SubElement(source, _q("VariableValue"))
                    ET.SubElement(value, _q("VariableRef"), {"targetGUID": guid("variable", key)})
                    ET.SubElement(value, _q("TextValue")).text = document.attributes[key]
    if memos:
        container = ET.SubElement(root, _q("Notes"))
        for memo, memo_guid in zip(memos, memo_guids, strict=True):
            note = ET.SubElement(container, _q("Note"), {"guid": memo_guid, "name": memo.title})
            ET.SubElement(note, _q("PlainTextContent")).text = memo.text
    if groups:
        container = ET.SubElement(root, _q("Sets"))
        for group in groups:
            element = ET.SubElement(
                container, _q("Set"), {"guid": guid("set", group.name), "name": group.name}
            )
            if group.description:
                ET.SubElement(element, _q("Description")).text = group.description
            for code_path in group.code_paths:
                ET.SubElement(element, _q("MemberCode"), {"targetGUID": guid("code", *code_path)})
            for name in group.documents:
                ET.SubElement(element, _q("MemberSource"), {"targetGUID": guid("document", name)})
    _note_refs(root, notes, ())
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for member, text in files:
            archive.writestr(member, text.encode("utf-8"))
