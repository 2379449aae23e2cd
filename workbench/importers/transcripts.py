"""Transcript files to normalised text, whatever format they came in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import InvalidInput
from workbench.domain.text import normalise_text
from workbench.domain.turns import Turns, find_turns
from workbench.importers.decoding import decode_bytes
from workbench.importers.html import html_text
from workbench.importers.office import docx_text, odt_text, rtf_text
from workbench.importers.pdf import pdf_text
from workbench.importers.subtitles import subtitles_to_text


def _plain(data: bytes, source: str) -> str:
    return decode_bytes(data, source)[0]


def _vtt(data: bytes, source: str) -> str:
    return subtitles_to_text(normalise_text(_plain(data, source)), source, webvtt=True)


def _srt(data: bytes, source: str) -> str:
    return subtitles_to_text(normalise_text(_plain(data, source)), source, webvtt=False)


READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": _plain,
    ".md": _plain,
    ".docx": docx_text,
    ".odt": odt_text,
    ".rtf": rtf_text,
    ".pdf": pdf_text,
    ".html": html_text,
    ".htm": html_text,
    ".srt": _srt,
    ".vtt": _vtt,
}
SUPPORTED = tuple(READERS)


@dataclass(frozen=True, slots=True)
class Transcript:
    name: str
    source_name: str
    text: str
    checksum: str
    turns: Turns


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_transcript(path: Path) -> Transcript:
    """Read one file; InvalidInput names the file and the reason when it cannot be used."""
    source = path.name
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InvalidInput(
            f"{source}: unsupported file type {path.suffix or '(none)'}; "
            f"supported are {', '.join(SUPPORTED)}"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{source}: cannot be read ({error.strerror})") from None
    if not data.strip():
        raise InvalidInput(f"{source}: the file is empty")
    text = normalise_text(reader(data, source))
    if not text.strip():
        raise InvalidInput(f"{source}: holds no text")
    return Transcript(
        name=path.stem,
        source_name=source,
        text=text,
        checksum=checksum(data),
        turns=find_turns(text),
    )


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to import and files skipped. A folder gives its supported files (not recursive)."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if not child.is_file() or child.name.startswith("."):
                    continue
                (files if child.suffix.lower() in READERS else skipped).append(child)
        else:
            files.append(path)
    return files, skipped
