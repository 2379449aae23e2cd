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
    codes: tuple[tuple[str, str, str], ...] = ()
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
    # (to know whether its selections' quoted passages are needed: `readings_differ`), as
    # the span of `buffer` that holds it in UTF-8.
    texts: dict[Element, tuple[int, int]] = field(default_factory=dict)
    buffer: bytearray = field(default_factory=bytearray)
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
    shared = _Shared()
    path: list[Element] = []
    names: list[str] = []  # the local name of each element on the path
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
                name = shared.names.get(element.tag) or shared.local(element)
                if item[0] == "start":
                    if root is None:
                        root = element
                    if name in _KEPT_GUIDS and (value := element.get("guid")):
                        streamed.written[guid_key(value)] = value.strip()
                    if name == "NoteRef" and path:
                        holder = path[-1]
                        kind = _NOTE_HOLDERS.get(names[-1])
                        if kind is not None:
                            streamed.note_refs.append(
                                (
                                    order[-1],
                                    guid_key(element.get("targetGUID")),
                                    (kind, guid_key(holder.get("guid"))),
                                )
                            )
                    elif name == "TextSource":
                        quotes = _quotes_needed(element, archive, streamed)
                    path.append(element)
                    names.append(name)
                    order.append(count)
                    count += 1
                    continue
                path.pop()
                names.pop()
                order.pop()
                if not path or names[-1] != "TextSource":
                    continue
                if name == "PlainTextSelection":
                    parent = path[-1]
                    streamed.selections.setdefault(parent, []).append(
                        _selection(element, shared, quotes)
                    )
                    # Found near the front: the selections before it are gone already.
                    parent.remove(element)
                elif name == "PlainTextContent":  # the text the source is read with
                    streamed.texts.pop(path[-1], None)
                    quotes = readings_differ(element.text or "")
        parser.close()
    except ParseError as error:
        raise InvalidInput(f"{source}: not well-formed XML ({error})") from None
    if root is None:
        raise InvalidInput(f"{source}: not well-formed XML (no element found)")
    return root, streamed


class _Shared:
    """The users, codes, dates and codings (all of a selection's at once) that many
    selections repeat: one object each, not one per selection; a GUID's key made once for
    each way it is written."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # tag -> local name: a few dozen tags, many elements
        self.strings: dict[str, str] = {}
        self.keys: dict[str | None, str] = {}
        self.seen: dict[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...]] = {}

    def local(self, element: Element) -> str:
        found = self.names.get(element.tag)
        if found is None:
            found = self.names[element.tag] = local_name(element)
        return found

    def one(self, value: str | None) -> str:
        value = (value or "").strip()
        return self.strings.setdefault(value, value)

    def key(self, value: str | None) -> str:
        found = self.keys.get(value)
        if found is None:
            found = self.keys[value] = self.one(guid_key(value))
        return found

    def codings(self, value: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
        return self.seen.setdefault(value, value)


def _selection(selection: Element, shared: _Shared, quotes: bool = True) -> RefiSelection | None:
    """The selection's fields, what it repeats of others `shared`. Its name (the passage
    it quotes) is kept where `quotes` says that choosing how positions count may need it."""
    try:
        start = int(selection.get("startPosition") or "")
        end = int(selection.get("endPosition") or "")
    except ValueError:
        return None
    user = shared.key(selection.get("creatingUser"))
    created = shared.one(selection.get("creationDateTime"))
    description: Element | None = None
    codings: list[tuple[str, str, str]] = []
    for child in selection:  # one pass over the children: a selection has little else
        name = shared.local(child)
        if name == "Coding":
            ref = next((c for c in child if shared.local(c) == "CodeRef"), None)
            if ref is not None:
                codings.append(
                    (
                        shared.key(ref.get("targetGUID")),
                        shared.key(child.get("creatingUser")) or user,
                        shared.one(child.get("creationDateTime")) or created,
                    )
                )
        elif name == "Description" and description is None:
            description = child
    return RefiSelection(
        (selection.get("guid") or "").strip(),
        start,
        end,
        (selection.get("name") or "") if quotes else "",
        " ".join(text_of(description).split()),
        user,
        created,
        shared.codings(tuple(codings)),
        modified_by=shared.key(selection.get("modifyingUser")),
        modified=shared.one(selection.get("modifiedDateTime")),
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
        text = text[1:] if text.startswith("\ufeff") else text
        encoded = text.encode("utf-8")
    except (InvalidInput, UnicodeEncodeError):
        return True
    start = len(streamed.buffer)
    streamed.buffer += encoded
    streamed.texts[element] = (start, len(streamed.buffer))
    return readings_differ(text)
