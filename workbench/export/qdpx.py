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
    guid: str | None = None  # kept from the tool it came from; else derived
    coded: dict[tuple[str, ...], str] = field(default_factory=dict)  # path -> when coded
    modified_by: str | None = None  # the coder who changed it last
    modified: str | None = None  # xsd:dateTime, when


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
    guid: str | None = None


@dataclass
class ExportProject:
    """Who the project is: its name, its users (name -> GUID kept, or None) and the
    Project element's creatingUserGUID, creationDateTime, ... as they came in."""

    name: str
    users: dict[str, str | None] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)

    def user(self, name: str) -> str:
        return self.users.get(name) or guid("user", name)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _note_refs(
    element: ET.Element, notes: dict[tuple[str, ...], list[str]], key: tuple[str, ...]
) -> None:
    for note in notes.get(key, []):
        ET.SubElement(element, _q("NoteRef"), {"targetGUID": note})


def _code(
    spec: CodeSpec,
    path: tuple[str, ...],
    notes: dict[tuple[str, ...], list[str]],
    code_guids: dict[tuple[str, ...], str],
) -> ET.Element:
    here = (*path, spec.name)
    code_guids[here] = spec.guid or guid("code", *here)
    element = ET.Element(
        _q("Code"),
        {
            "guid": code_guids[here],
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
        element.append(_code(child, here, notes, code_guids))
    return element


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """Code point offset -> UTF-16 offset: one more unit for each character beyond the BMP."""
    astral = [index for index, ch in enumerate(text) if ord(ch) > 0xFFFF]
    return lambda offset: offset + bisect.bisect_left(astral, offset)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, its line end excluded."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


@dataclass
class _Selection:
    guid: str
    name: str
    start: int
    end: int
    coder: str
    created: str
    comment: str
    codings: list[tuple[tuple[str, ...], str, str]]  # (code path, coder, when)
    note_key: tuple[str, ...] = ()
    modified_by: str | None = None
    modified: str | None = None


def _selections(document: ExportDocument, qc: bool, warnings: list[str]) -> list[_Selection]:
    """As stored, one selection per quotation; for qc, one per line named `line:N` (qc
    places nothing else), the line's codings gathered, with a warning for each quotation
    that is not whole lines (qc codes the lines it touches whole)."""
    text = document.text
    if not qc:
        return [
            _Selection(
                q.guid or guid("quotation", document.name, str(q.start), str(q.end), q.coder),
                " ".join(text[q.start : q.end].split())[:200],
                q.start,
                q.end,
                q.coder,
                q.created,
                q.comment,
                [(path, q.coder, q.coded.get(path, q.created)) for path in q.code_paths],
                ("quotation", document.name, str(q.start), str(q.end), q.coder),
                q.modified_by,
                q.modified,
            )
            for q in document.quotations
        ]
    lines = _lines(text)
    starts = [start for start, _end in lines]
    by_line: dict[int, _Selection] = {}
    for q in document.quotations:
        first = bisect.bisect_right(starts, q.start) - 1
        last = bisect.bisect_right(starts, max(q.start, q.end - 1)) - 1
        whole = not text[lines[first][0] : q.start].strip() and not (
            text[q.end : lines[last][1]].strip()
        )
        if not whole:
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            codes = ", ".join(path[-1] for path in q.code_paths) or "no code"
            warnings.append(
                f"{document.name}: {q.coder}'s quotation {q.start}-{q.end} ({codes}) is not "
                f"whole lines; qc codes {where} whole"
            )
        for number in range(first, last + 1):
            start, end = lines[number]
            # A quotation that is this one line (as qc made it) keeps its GUID.
            own = q.guid if whole and first == last and number not in by_line else None
            selection = by_line.setdefault(
                number,
                _Selection(
                    own or guid("line", document.name, str(number)),
                    f"line:{number}",
                    start,
                    end,
                    q.coder,
                    q.created,
                    "",
                    [],
                ),
            )
            for path in q.code_paths:
                if all((path, q.coder) != (p, c) for p, c, _when in selection.codings):
                    selection.codings.append((path, q.coder, q.coded.get(path, q.created)))
    return [by_line[number] for number in sorted(by_line)]


def write_qdpx(
    path: Path,
    project: ExportProject,
    codes: Sequence[CodeSpec],
    documents: Sequence[ExportDocument],
    memos: Sequence[ExportMemo] = (),
    groups: Sequence[ExportGroup] = (),
    positions: str = "codepoints",
    *,
    qc: bool = False,
) -> list[str]:
    """Positions in code points, as the standard says; "utf16" writes UTF-16 units instead,
    for a tool that counts those (NVivo). `qc`: selections as whole lines named `line:N`,
    which is all qc places. Returns warnings (the quotations qc cannot place exactly)."""
    ET.register_namespace("", NAMESPACE)
    warnings: list[str] = []
    notes: dict[tuple[str, ...], list[str]] = {}
    memo_guids = []
    for number, memo in enumerate(memos):
        memo_guid = guid("memo", str(number), memo.title, *memo.target)
        memo_guids.append(memo_guid)
        notes.setdefault(memo.target, []).append(memo_guid)
    root = ET.Element(_q("Project"), {"name": project.name, "origin": "workbench"})
    for attribute, written in project.about.items():
        root.set(attribute, written)
    if project.users:
        users = ET.SubElement(root, _q("Users"))
        for coder in sorted(project.users):
            ET.SubElement(users, _q("User"), {"guid": project.user(coder), "name": coder})
    code_guids: dict[tuple[str, ...], str] = {}
    if codes:
        codebook = ET.SubElement(root, _q("CodeBook"))
        container = ET.SubElement(codebook, _q("Codes"))
        for spec in codes:
            container.append(_code(spec, (), notes, code_guids))
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
    document_guids = {d.name: d.guid or guid("document", d.name) for d in documents}
    if documents:
        sources = ET.SubElement(root, _q("Sources"))
        for document in documents:
            source_guid = document_guids[document.name]
            file_name = guid("document", document.name)  # a GUID kept may have braces
            files.append((f"sources/{file_name}.txt", document.text))
            source = ET.SubElement(
                sources,
                _q("TextSource"),
                {
                    "guid": source_guid,
                    "name": document.name,
                    "plainTextPath": f"internal://{file_name}.txt",
                },
            )
            unit = _utf16_offsets(document.text) if positions == "utf16" else None
            for found in _selections(document, qc, warnings):
                user = project.user(found.coder)
                selection = ET.SubElement(
                    source,
                    _q("PlainTextSelection"),
                    {
                        "guid": found.guid,
                        "name": found.name,
                        "startPosition": str(unit(found.start) if unit else found.start),
                        "endPosition": str(unit(found.end) if unit else found.end),
                        "creatingUser": user,
                        "creationDateTime": found.created,
                    },
                )
                if found.modified:
                    if found.modified_by:
                        selection.set("modifyingUser", project.user(found.modified_by))
                    selection.set("modifiedDateTime", found.modified)
                if found.comment:
                    ET.SubElement(selection, _q("Description")).text = found.comment
                for code_path, coder, coded in found.codings:
                    coding = ET.SubElement(
                        selection,
                        _q("Coding"),
                        {
                            "guid": guid(
                                "coding",
                                found.guid,
                                *code_path,
                                *(() if coder == found.coder else (coder,)),
                            ),
                            "creatingUser": project.user(coder),
                            "creationDateTime": coded,
                        },
                    )
                    ET.SubElement(
                        coding,
                        _q("CodeRef"),
                        {"targetGUID": code_guids.get(code_path) or guid("code", *code_path)},
                    )
                if found.note_key:
                    _note_refs(selection, notes, found.note_key)
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
                target = code_guids.get(code_path) or guid("code", *code_path)
                ET.SubElement(element, _q("MemberCode"), {"targetGUID": target})
            for name in group.documents:
                target = document_guids.get(name) or guid("document", name)
                ET.SubElement(element, _q("MemberSource"), {"targetGUID": target})
    _note_refs(root, notes, ())
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for member, text in files:
            archive.writestr(member, text.encode("utf-8"))
    return warnings
