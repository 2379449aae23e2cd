"""REFI-QDA projects (.qdpx, or a bare .qde) read into plain objects, safely.

A .qdpx is untrusted: its members are checked before anything is read
(importers/refi_archive: zip slip, zip bombs), and XML is parsed without DTDs or
entities, as it is read (importers/refi_stream). Elements are found by local name, so
namespace variants (1.0, 1:0, 0:10) and a missing namespace all read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from xml.etree.ElementTree import Element

from workbench.domain.codetree import CodeSpec
from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes
from workbench.importers.qdc import guid_key, parse_colour, split_number
from workbench.importers.refi_archive import Archive, Member
from workbench.importers.refi_stream import (
    RefiSelection,
    Streamed,
    children,
    first,
    local_name,
    parse_xml,
    text_of,
)


@dataclass
class RefiSource:
    guid: str
    name: str
    # The text as stored (BOM removed, line ends as they are): `stored`. A text read from
    # the archive is kept as UTF-8 in one buffer that all sources share, and made a string
    # only when asked: the texts of a big project are not strings all at once, and once no
    # source holds its part any more (`stored = ""`), the buffer is given back whole.
    text: str | memoryview
    selections: list[RefiSelection] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    # True when the file lacked the text: `stored` is then made of the quoted passages the
    # selections name, and their positions point into that (see _stand_in).
    stand_in: bool = False

    @property
    def stored(self) -> str:
        return self.text if isinstance(self.text, str) else str(self.text, "utf-8")

    @stored.setter
    def stored(self, text: str) -> None:
        self.text = text

    def encoded(self) -> bytes | memoryview:
        """The text as UTF-8 (for its checksum)."""
        return self.text.encode("utf-8") if isinstance(self.text, str) else self.text


@dataclass
class RefiNote:
    guid: str
    title: str
    text: str
    user: str  # guid
    target: tuple[str, str] | None = None  # ("code"|"source"|"selection", guid), or the project


@dataclass
class RefiSet:
    name: str
    description: str
    codes: list[str] = field(default_factory=list)  # guids
    sources: list[str] = field(default_factory=list)
    notes: int = 0  # members that are notes (not imported as group members)


@dataclass
class RefiProject:
    name: str
    origin: str
    users: dict[str, str]  # guid -> name
    codes: list[CodeSpec]
    code_guids: dict[str, CodeSpec]  # guid (normalised) -> spec
    sources: list[RefiSource]
    skipped: list[str]
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    # The GUIDs of users and sources as the file writes them (case, braces), by their
    # normalised key: written back unchanged on export, so the other tool recognises its
    # own objects. (Codes and selections keep theirs themselves; others are not kept.)
    written: dict[str, str] = field(default_factory=dict)
    # Sources not imported (pictures, PDF, audio, video): normalised guid -> what they are.
    unsupported: dict[str, str] = field(default_factory=dict)
    # The Project element's own attributes that say who made it and when.
    about: dict[str, str] = field(default_factory=dict)


def _codes(container: Element | None, guids: dict[str, CodeSpec]) -> list[CodeSpec]:
    if container is None:
        return []
    specs = []
    for element in children(container, "Code"):
        number, name = split_number((element.get("name") or "").strip() or "(unnamed code)")
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        colour = element.get("color")
        spec = CodeSpec(
            name=name,
            number=number,
            definition=" ".join(text_of(first(element, "Description")).split()),
            colour=parse_colour(colour),
            codable=codable,
            children=_codes(element, guids),
            guid=(element.get("guid") or "").strip() or None,
        )
        guids[guid_key(element.get("guid"))] = spec
        specs.append(spec)
    return specs


def read_refi(path: Path) -> RefiProject:
    archive = None
    stream: BinaryIO | Member
    if path.suffix.lower() == ".qde":
        try:
            stream = path.open("rb")
        except OSError as error:
            raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    else:
        archive = Archive(path)
        stream = archive.qde()
    with stream:
        try:
            root, streamed = parse_xml(stream, path.name, archive)
        except OSError as error:
            raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    if local_name(root) != "Project":
        raise InvalidInput(f"{path.name}: the root element is {local_name(root)}, not Project")
    users = {
        guid_key(u.get("guid")): (u.get("name") or "").strip() or f"user {u.get('guid')}"
        for users in children(root, "Users")
        for u in children(users, "User")
    }
    guids: dict[str, CodeSpec] = {}
    codebook = first(root, "CodeBook")
    codes = _codes(first(codebook, "Codes") if codebook is not None else None, guids)
    variables = {
        guid_key(v.get("guid")): (v.get("name") or "").strip()
        for container in children(root, "Variables")
        for v in children(container, "Variable")
    }
    skipped: list[str] = []
    sources: list[RefiSource] = []
    texts = memoryview(streamed.buffer)
    unsupported: dict[str, str] = {}
    for container in children(root, "Sources"):
        for number, element in enumerate(container, start=1):
            kind = local_name(element)
            name = _source_name(element, number)
            if kind != "TextSource":
                what = f"{kind.removesuffix('Source').lower()} source"
                unsupported[guid_key(element.get("guid"))] = what
                skipped.append(
                    f"{name}: {'an' if what[0] in 'aeiou' else 'a'} {what} (only text is imported)"
                )
                continue
            span = streamed.texts.pop(element, None)
            stored: str | memoryview | None = texts[span[0] : span[1]] if span is not None else None
            if stored is None or first(element, "PlainTextContent") is not None:
                stored = _source_text(element, archive, path.name, name)
            stand_in = stored is None
            if stored is None:
                stored = ""
            source = RefiSource(guid_key(element.get("guid")), name, stored, stand_in=stand_in)
            source.attributes.update(_variable_values(element, variables))
            for found in streamed.selections.pop(element, ()):
                if found is None:
                    skipped.append(f"{name}: a selection without valid positions")
                    continue
                source.selections.append(found)
            if source.stand_in:
                if not _stand_in(source):
                    skipped.append(f"{name}: its text is not in the file")
                    continue
                skipped.append(
                    f"{name}: its text is not in the file; a stand-in document holds the "
                    f"{len(source.selections)} quoted passage(s) its selections name, so their "
                    "codings are kept (positions there are not the original's)"
                )
                source.attributes["text"] = "stand-in: only the quoted passages"
            sources.append(source)
    # A case's variable values apply to every source the case refers to.
    for container in children(root, "Cases"):
        for case in children(container, "Case"):
            values = _variable_values(case, variables)
            members = {guid_key(ref.get("targetGUID")) for ref in children(case, "SourceRef")}
            for source in sources:
                if source.guid in members:
                    source.attributes = {**values, **source.attributes}
    notes = _notes(root, streamed, archive, path.name, skipped)
    sets = [
        RefiSet(
            (element.get("name") or "").strip() or "(unnamed set)",
            " ".join(text_of(first(element, "Description")).split()),
            [_member(m) for m in children(element, "MemberCode")],
            [_member(m) for m in children(element, "MemberSource")],
            len(children(element, "MemberNote")),
        )
        for container in children(root, "Sets")
        for element in children(container, "Set")
    ]
    for kind in ("Links", "Graphs"):
        count = sum(len(list(c)) for c in children(root, kind))
        if count:
            skipped.append(f"{count} {kind.lower()} (not imported: no equivalent here)")
    written = streamed.written
    about = {
        key: value.strip()
        for key in ("creatingUserGUID", "creationDateTime", "modifyingUserGUID", "modifiedDateTime")
        if (value := root.get(key) or "").strip()
    }
    return RefiProject(
        (root.get("name") or "").strip() or path.stem,
        root.get("origin") or "",
        users,
        codes,
        guids,
        sources,
        skipped,
        notes,
        sets,
        written,
        unsupported,
        about,
    )


_GUID = re.compile(r"^\{?[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}?$", re.IGNORECASE)


def _source_name(element: Element, number: int) -> str:
    """The source's name; else its file's name (qc writes only plainTextPath); never a GUID."""
    name = (element.get("name") or "").strip()
    if name:
        return name
    for attribute in ("plainTextPath", "path", "richTextPath"):
        path = (element.get(attribute) or "").strip()
        if path:
            file = PurePosixPath(path.split("://", 1)[-1].replace("\\", "/")).name
            if file and not _GUID.match(PurePosixPath(file).stem):
                return file
    return f"source {number}"


def _stand_in(source: RefiSource) -> bool:
    """Build a text from the passages the selections quote; False when none quotes any."""
    quoted = [s for s in source.selections if s.name.strip()]
    if not quoted:
        return False
    parts: list[str] = []
    offset = 0
    for selection in quoted:
        text = " ".join(selection.name.split())
        selection.start, selection.end = offset, offset + len(text)
        parts.append(text)
        offset += len(text) + 2  # a blank line between passages
    source.selections = quoted
    source.stored = "\n\n".join(parts) + "\n"
    return True


def _variable_values(element: Element, variables: dict[str, str]) -> dict[str, str]:
    values = {}
    for value in children(element, "VariableValue"):
        ref = first(value, "VariableRef")
        key = variables.get(guid_key(ref.get("targetGUID") if ref is not None else ""))
        shown = next((text_of(child) for child in value if local_name(child) != "VariableRef"), "")
        if key:
            values[key] = shown.strip()
    return values


def _member(element: Element) -> str:
    # A project's sets point with targetGUID, a codebook's with guid.
    return guid_key(element.get("targetGUID") or element.get("guid"))


def _notes(
    root: Element,
    streamed: Streamed,
    archive: Archive | None,
    file: str,
    skipped: list[str],
) -> list[RefiNote]:
    """Notes, each attached to the first code, source or selection (in document order)
    that refers to it."""
    targets: dict[str, tuple[str, str]] = {}
    for _order, key, target in sorted(streamed.note_refs, key=lambda ref: ref[0]):
        targets.setdefault(key, target)
    notes = []
    for container in children(root, "Notes"):
        for element in children(container, "Note"):
            title = (element.get("name") or "").strip() or "(untitled note)"
            text = _source_text(element, archive, file, title)
            if text is None:
                skipped.append(f"note {title!r}: its text is not in the file")
                continue
            key = guid_key(element.get("guid"))
            notes.append(
                RefiNote(
                    key,
                    title,
                    text.replace("\r\n", "\n").strip(),
                    guid_key(element.get("creatingUser")),
                    targets.get(key),
                )
            )
    return notes


def _source_text(element: Element, archive: Archive | None, file: str, name: str) -> str | None:
    inline = first(element, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath")
    if not path or archive is None:
        return None
    data = archive.source(path)
    if data is None:
        return None
    text = decode_bytes(data, f"{file}: {name}")[0]
    return text[1:] if text.startswith("\ufeff") else text
