"""The .qde's XML, parsed as it is read (the C pull parser, told only of elements that
end): as each source ends, its selections become RefiSelections and leave the tree, so
the hundreds of thousands of a big project are never all elements (one source's are); a
source's text is read from the archive then, so that selections keep the passages they
quote only where choosing how positions count may need them. Elements are found by local
name (namespace variants read the same)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes
from workbench.importers.positions import readings_differ
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
    def quoted(self) -> str:
        """The passage the selection names (a `positions.Selection`): qc names one by its
        line ("line:3"), not by the text it quotes."""
        return "" if _LINE.match(self.name) else self.name


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

    # Per TextSource element: its text, where read from the archive as its element ended
    # (to know whether its selections' quoted passages are needed: `readings_differ`), as
    # the span of `buffer` that holds it in UTF-8.
    texts: dict[Element, tuple[int, int]] = field(default_factory=dict)
    buffer: bytearray = field(default_factory=bytearray)
    # Per TextSource element: its selections, None for one without valid positions.
    selections: dict[Element, list[RefiSelection | None]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    # (place in document order of the referring element, note guid, (kind, its guid))
    note_refs: list[tuple[tuple[int, int], str, tuple[str, str]]] = field(default_factory=list)


# The elements whose GUIDs are written back as the file wrote them. Not every element's:
# a big project has hundreds of thousands of codings, whose GUIDs are not kept.
_KEPT_GUIDS = frozenset({"User", "TextSource"})  # a selection keeps its own
_NOTE_HOLDERS = {"Code": "code", "TextSource": "source", "PlainTextSelection": "selection"}


def parse_xml(
    stream: _Readable, source: str, archive: Archive | None = None
) -> tuple[Element, Streamed]:
    """The project's elements, parsed as they are read: as each source ends, its
    selections become RefiSelections and leave the tree, so that the hundreds of
    thousands a big project holds are never all elements at once (one source's are)."""
    prolog = Prolog(source)
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    reading = _Reading(archive)
    names, shared = reading.shared.names, reading.shared
    last: Element | None = None
    try:
        while chunk := stream.read(_CHUNK):
            prolog.check(chunk)
            parser.feed(chunk)
            for item in parser.read_events():
                element = item[-1]
                if not isinstance(element, Element):
                    continue  # only ends are asked for: never happens
                last = element
                name = names.get(element.tag) or shared.local(element)
                if name in _ENDED:
                    reading.ended(element, name)
        parser.close()
    except ParseError as error:
        raise InvalidInput(f"{source}: not well-formed XML ({error})") from None
    if last is None:
        raise InvalidInput(f"{source}: not well-formed XML (no element found)")
    return last, reading.done(last)  # the root is the last element to end


_ENDED = frozenset({"User", "Code", "TextSource"})


class _Reading:
    """What a parse keeps of the elements that ended: each source's selections (read
    when the source ends), the GUIDs written back, the notes elements refer to."""

    def __init__(self, archive: Archive | None) -> None:
        self.archive = archive
        self.streamed = Streamed()
        self.shared = _Shared()
        self.holders: list[Element] = []  # the codes and sources (a NoteRef in them)
        # (source, place of the selection in it + 1, note guid, the selection's guid)
        self.selection_notes: list[tuple[Element, int, str, str]] = []

    def ended(self, element: Element, name: str) -> None:
        if name in _KEPT_GUIDS and (value := element.get("guid")):
            self.streamed.written[guid_key(value)] = value.strip()
        if name in _NOTE_HOLDERS:
            self.holders.append(element)
        if name == "TextSource":
            self._source(element)

    def _source(self, source: Element) -> None:
        """The source's selections read, and taken out of the tree."""
        shared = self.shared
        content = next(
            (c for c in source if shared.local(c) == "PlainTextContent"), None
        )  # the text the source is read with, where it has one
        if content is not None:
            quotes = readings_differ(content.text or "")
        else:
            quotes = _quotes_needed(source, self.archive, self.streamed)
        found: list[RefiSelection | None] = []
        kept: list[Element] = []
        names, notes = shared.names, list[str]()
        for child in source:
            if (names.get(child.tag) or shared.local(child)) != "PlainTextSelection":
                kept.append(child)
                continue
            found.append(_selection(child, shared, quotes, notes))
            if notes:
                guid = guid_key(child.get("guid"))
                self.selection_notes.extend((source, len(found), n, guid) for n in notes)
                notes.clear()
        if found:
            source[:] = kept
            self.streamed.selections[source] = found

    def done(self, root: Element) -> Streamed:
        """The notes referred to, in document order of what refers to them: a code or a
        source where it starts, a selection after its source and the selections before
        it (they are out of the tree by now)."""
        holders = set(self.holders)
        order = {e: place for place, e in enumerate(root.iter()) if e in holders}
        refs = self.streamed.note_refs
        for holder in self.holders:
            kind = _NOTE_HOLDERS[self.shared.local(holder)]
            for child in holder:
                if self.shared.local(child) == "NoteRef":
                    refs.append(
                        (
                            (order.get(holder, -1), 0),
                            guid_key(child.get("targetGUID")),
                            (kind, guid_key(holder.get("guid"))),
                        )
                    )
        for source, place, note, selection in self.selection_notes:
            refs.append(((order.get(source, -1), place), note, ("selection", selection)))
        return self.streamed


class _Shared:
    """The users, codes, dates and codings (all of a selection's at once) that many
    selections repeat: one object each, not one per selection; each attribute value as
    written is stripped (or made a GUID's key) once. The callers look in the dicts first
    and call the methods only for a value not seen yet: a big project has millions."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # tag -> local name: a few dozen tags, many elements
        self.strings: dict[str | None, str] = {}  # as written -> stripped, one object each
        self.keys: dict[str | None, str] = {}  # as written -> the GUID's key, one object each
        self.canonical: dict[str, str] = {}  # one object for each string made
        self.seen: dict[tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...]] = {}

    def local(self, element: Element) -> str:
        found = self.names.get(element.tag)
        if found is None:
            found = self.names[element.tag] = local_name(element)
        return found

    def one(self, value: str | None) -> str:
        found = self.strings.get(value)
        if found is None:
            stripped = (value or "").strip()
            found = self.strings[value] = self.canonical.setdefault(stripped, stripped)
        return found

    def key(self, value: str | None) -> str:
        found = self.keys.get(value)
        if found is None:
            key = guid_key(value)
            found = self.keys[value] = self.canonical.setdefault(key, key)
        return found

    def codings(self, value: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
        return self.seen.setdefault(value, value)


def _selection(
    selection: Element, shared: _Shared, quotes: bool, notes: list[str]
) -> RefiSelection | None:
    """The selection's fields, what it repeats of others `shared`; the notes it refers to
    are added to `notes`. Its name (the passage it quotes) is kept where `quotes` says that
    choosing how positions count may need it."""
    get = selection.get
    try:
        start = int(get("startPosition") or "")
        end = int(get("endPosition") or "")
    except ValueError:
        return None
    names, strings, keys = shared.names, shared.strings, shared.keys
    value = get("creatingUser")
    user = keys.get(value) or shared.key(value)
    value = get("creationDateTime")
    created = strings.get(value) or shared.one(value)
    description: Element | None = None
    codings: list[tuple[str, str, str]] = []
    for child in selection:  # one pass over the children: a selection has little else
        name = names.get(child.tag) or shared.local(child)
        if name == "Coding":
            for ref in child:
                if (names.get(ref.tag) or shared.local(ref)) != "CodeRef":
                    continue
                target, by, when = (
                    ref.get("targetGUID"),
                    child.get("creatingUser"),
                    child.get("creationDateTime"),
                )
                codings.append(
                    (
                        keys.get(target) or shared.key(target),
                        keys.get(by) or shared.key(by) or user,
                        strings.get(when) or shared.one(when) or created,
                    )
                )
                break
        elif name == "Description" and description is None:
            description = child
        elif name == "NoteRef":
            notes.append(guid_key(child.get("targetGUID")))
    value = get("modifyingUser")
    modified_by = keys.get(value) or shared.key(value)
    value = get("modifiedDateTime")
    return RefiSelection(
        (get("guid") or "").strip(),
        start,
        end,
        (get("name") or "") if quotes else "",
        " ".join(text_of(description).split()),
        user,
        created,
        shared.codings(tuple(codings)),
        modified_by=modified_by,
        modified=strings.get(value) or shared.one(value),
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
