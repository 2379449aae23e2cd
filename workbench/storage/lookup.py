"""How a name a user types finds its row, and the message when it does not: shared by the
repositories and the direct path (standard library only), so both answer alike."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from workbench.domain.errors import NotFound


def document_names_to_try(reference: str) -> list[str]:
    """A document is named by its name (R07) or its file name (R07.docx): the names to try,
    in order, before the file names."""
    stem = PurePath(reference).stem if PurePath(reference).suffix else reference
    return list(dict.fromkeys([reference, stem]))


def no_document(reference: str) -> NotFound:
    return NotFound(
        f"no document {reference!r} in this project; give its name or file name "
        "(`workbench documents` lists them)"
    )


def matching_coder(name: str, coders: Iterable[tuple[int, str]]) -> tuple[int, str] | None:
    """The coder (id, name), of those given in id order, that `name` means without regard
    to case and surrounding spaces (`Anouk ` is `anouk`), after no exact match was found.
    Coders are few: compared in Python, where casefold is the same on every database."""
    key = name.strip().casefold()
    for coder in coders:
        if coder[1].casefold() == key:
            return coder
    return None


def no_coder(name: str, known: Iterable[str]) -> NotFound:
    listed = ", ".join(known) or "none yet"
    return NotFound(f"no coder {name!r} in this project (coders: {listed})")
