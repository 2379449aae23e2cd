"""The .qde's XML, parsed as it is read (the C pull parser): each selection becomes a
RefiSelection and leaves the tree at once, so the hundreds of thousands of a big project
are never all elements; a source's text is read from the archive as its element starts,
so that selections keep the passages they quote only where choosing how positions count
may need them. Elements are found by local name (namespace variants read the same)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes
from workbench.importers.positions import Selection, readings_differ
from workbench.importers.qdc import guid_key
from workbench.importers.refi_archive import Archive, Prolog

_LINE = re.compile(r"^line:\d+$")


@dataclass(slots=True)
class RefiSelection:
    written: str  # the GUID as the file writes it (case, braces): written back on export
    start: int
    end: int
    name: str
    comment: str
    user: str  # guid
    created: str = ""  # xsd:dateTime as written, or ""
    # (code guid, user guid, creationDateTime as written or "")
    codes: list[tuple[str, str, str]] = field(default_factory=list)
    modified_by: str = ""  # the modifyingUser's guid, or ""
    modified: str = ""  # modifiedDateTime as written, or ""

    @property
    def guid(self) -> str:
        """The GUID's key (`guid_key`): made when asked, since the selections of a big
        project are hundreds of thousands, and only the written form is kept."""
        return guid_key(self.written)

    @property
    def selection(self) -> Selection:
        # qc names a selection by its line ("line:3"), not by the text it quotes.
        quoted = "" if _LINE.match(self.name) else self.name
        return Selection(self.start, self.end, quoted)


def local_name(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child) == name]


def first(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def text_of(element: Element | None) -> str:
    return "" if element is None else (element.text or "")


_CHUNK = 1 << 20  # bytes of XML fed to the parser at a time


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


@dataclass
class Streamed:
    """What the parse keeps of the elements it drops as it goes, and every GUID written."""

    # Per TextSource element: its text, where read from the archive as its element began
    # (to know whether its selections' quoted passages are needed: `readings_differ`).
    texts: dict[Element, str] = field(default_factory=dict)
    # Per TextSource element: its selections, None for one without valid positions.
    selections: dict[Element, list[RefiSelection | None]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    # (document order of the referring element, note guid, (kind, the element's guid))
    note_refs: list[tuple[int, str, tuple[str, str]]] = field(default_factory=list)


# The elements whose GUIDs are written back as the file wrote them. Not every element's:
# a big project has hundreds of thousands of codings, whose GUIDs are not kept.
_KEPT_GUIDS = frozenset({"User", "TextSource"})  # a selection keeps its own
_NOTE_HOLDERS = {"Code": "code", "TextSource": "source", "PlainTextSelection": "selection"}


def parse_xml(
    stream: _Readable, source: str, archive: Archive | None = None
) -> tuple[Element, Streamed]:
    """The project's elements, parsed as they are read: each selection becomes a
    RefiSelection and is dropped from the tree once read, so the hundreds of thousands
    a big project holds are never all elements at once."""
    prolog = Prolog(source)
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    streamed = Streamed()
    shared: dict[str, str] = {}
    codings: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    path: list[Element] = []
    order: list[int] = []  # each open element's place in document order
    count = 0
    quotes = True  # whether the current source's selections keep the passages they quote
    root: Element | None = None
    try:
        while chunk := stream.read(_CHUNK):
            prolog.check(chunk)
            parser.feed(chunk)
            for item in parser.read_events():
                element = item[-1]
                if not isinstance(element, Element):
                    continue  # only start and end are asked for: never happens
                if item[0] == "start":
                    if root is None:
                        root = element
                    if (value := element.get("guid")) and local_name(element) in _KEPT_GUIDS:
                        streamed.written[guid_key(value)] = value.strip()
                    if path and local_name(element) == "NoteRef":
                        holder = path[-1]
                        kind = _NOTE_HOLDERS.get(local_name(holder))
                        if kind is not None:
                            streamed.note_refs.append(
                                (
                                    order[-1],
                                    guid_key(element.get("targetGUID")),
                                    (kind, guid_key(holder.get("guid"))),
                                )
                            )
                    if local_name(element) == "TextSource":
                        quotes = _quotes_needed(element, archive, streamed)
                    path.append(element)
                    order.append(count)
                    count += 1
                    continue
                path.pop()
                order.pop()
                if path and local_name(element) == "PlainTextSelection":
                    parent = path[-1]
                    if local_name(parent) == "TextSource":
                        streamed.selections.setdefault(parent, []).append(
                            _selection(element, shared, codings, quotes)
                        )
                        # Found near the front: the selections before it are gone already.
                        parent.remove(element)
                elif (
                    path
                    and local_name(element) == "PlainTextContent"
                    and local_name(path[-1]) == "TextSource"
                ):  # the text the source is read with, not the archive's
                    streamed.texts.pop(path[-1], None)
                    quotes = readings_differ(element.text or "")
        parser.close()
    except ParseError as error:
        raise InvalidInput(f"{source}: not well-formed XML ({error})") from None
    if root is None:
        raise InvalidInput(f"{source}: not well-formed XML (no element found)")
    return root, streamed


def _selection(
    selection: Element,
    shared: dict[str, str],
    codings: dict[tuple[str, str, str], tuple[str, str, str]],
    quotes: bool = True,
) -> RefiSelection | None:
    """The selection's fields; the users, codes and dates many selections repeat are one
    string each (`shared`), not one per selection. Its name (the passage it quotes) is
    kept where `quotes` says that choosing how positions count may need it."""

    def one(value: str) -> str:
        return shared.setdefault(value, value)

    def one_coding(value: tuple[str, str, str]) -> tuple[str, str, str]:
        return codings.setdefault(value, value)

    try:
        start = int(selection.get("startPosition") or "")
        end = int(selection.get("endPosition") or "")
    except ValueError:
        return None
    user = one(guid_key(selection.get("creatingUser")))
    created = one((selection.get("creationDateTime") or "").strip())
    return RefiSelection(
        (selection.get("guid") or "").strip(),
        start,
        end,
        (selection.get("name") or "") if quotes else "",
        " ".join(text_of(first(selection, "Description")).split()),
        user,
        created,
        [
            # Most codings are the same (code, user, date) as many others: one tuple each.
            one_coding(
                (
                    one(guid_key(ref.get("targetGUID"))),
                    one(guid_key(coding.get("creatingUser"))) or user,
                    one((coding.get("creationDateTime") or "").strip()) or created,
                )
            )
            for coding in children(selection, "Coding")
            if (ref := first(coding, "CodeRef")) is not None
        ],
        modified_by=one(guid_key(selection.get("modifyingUser"))),
        modified=one((selection.get("modifiedDateTime") or "").strip()),
    )


def _quotes_needed(element: Element, archive: Archive | None, streamed: Streamed) -> bool:
    """Whether a TextSource's selections need the passages they quote, from the text its
    plainTextPath names, read now and kept for the source (any problem with it is told
    when the source is read, as before: the passages are kept then)."""
    path = element.get("plainTextPath")
    if not path or archive is None:
        return True
    try:
        data = archive.source(path)
        if data is None:
            return True
        text = decode_bytes(data, "")[0]
    except InvalidInput:
        return True
    streamed.texts[element] = text = text[1:] if text.startswith("\ufeff") else text
    return readings_differ(text)
