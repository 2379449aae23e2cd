"""The members of a .qdpx (a zip), checked before anything is read: member paths may not
escape the archive (zip slip), and the unpacked size and the compression ratio are capped
(zip bombs); and the XML's prolog, where a DTD would declare entities, is refused
(`Prolog`)."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from workbench.domain.errors import InvalidInput

MAX_TOTAL = 2 * 1024**3  # bytes unpacked
MAX_RATIO = 200  # unpacked / packed, per member


class Archive:
    """The members of a .qdpx, checked before anything is read."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InvalidInput(
                f"{path.name}: not a REFI-QDA project (.qdpx is a zip file)"
            ) from None
        total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts:
                raise InvalidInput(
                    f"{path.name}: refused: member {info.filename!r} points "
                    "outside the project (zip slip)"
                )
            total += info.file_size
            if total > MAX_TOTAL:
                raise InvalidInput(f"{path.name}: refused: unpacks to more than 2 GB")
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise InvalidInput(
                    f"{path.name}: refused: {info.filename!r} is compressed "
                    f"more than {MAX_RATIO} to 1 (a zip bomb?)"
                )
            self.members[str(name).lower()] = info
        self.name = path.name

    def qde(self) -> Member:
        candidates = [k for k in self.members if k.endswith(".qde") and "/" not in k]
        if not candidates:
            raise InvalidInput(f"{self.name}: no project.qde in the archive")
        preferred = "project.qde" if "project.qde" in candidates else candidates[0]
        return Member(self, self.members[preferred])

    def read(self, info: zipfile.ZipInfo) -> bytes:
        with self.zip.open(info) as member:
            data = member.read(info.file_size + 1)
        if len(data) > info.file_size:
            raise InvalidInput(f"{self.name}: refused: {info.filename!r} is larger than it says")
        return data

    def source(self, path: str) -> bytes | None:
        name = path.strip()
        for prefix in ("internal://", "internal:///"):
            if name.lower().startswith(prefix):
                name = name[len(prefix) :]
        name = name.lstrip("/").lower()
        for key in (f"sources/{name}", name):
            if key in self.members:
                return self.read(self.members[key])
        return None


class Member:
    """A member read in pieces, refused as soon as it is larger than it says."""

    def __init__(self, archive: Archive, info: zipfile.ZipInfo) -> None:
        self.archive, self.info = archive, info
        self.file = archive.zip.open(info)
        self.left = info.file_size

    def read(self, size: int) -> bytes:
        data = self.file.read(min(size, self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise InvalidInput(
                f"{self.archive.name}: refused: {self.info.filename!r} is larger than it says"
            )
        return data

    def __enter__(self) -> Member:
        return self

    def __exit__(self, *_: object) -> None:
        self.file.close()


class Prolog:
    """Refuses a document type declaration, the only place entities can be declared.

    It can only come before the root element, so the bytes are checked (with expat,
    which reads them exactly as the parser will) until the root element starts."""

    class _Root(Exception):
        pass

    def __init__(self, source: str) -> None:
        self.source = source
        self.done = False
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root

    def _doctype(self, name: str, *_: object) -> None:
        raise InvalidInput(
            f"{self.source}: refused: the XML uses a DTD or entities (a DOCTYPE {name})"
        )

    def _root(self, *_: object) -> None:
        raise self._Root

    def check(self, chunk: bytes) -> None:
        if self.done:
            return
        try:
            self.parser.Parse(chunk, False)
        except self._Root:
            self.done = True
        except expat.ExpatError:
            self.done = True  # not well-formed: the parser says where
