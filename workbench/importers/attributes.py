"""An attributes CSV: a header `document,ATTRIBUTE,...`, then one row per document."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes

AttributeRow = tuple[int, str, dict[str, str]]  # (row number, document, name -> value)


def read_attributes(path: Path) -> list[AttributeRow]:
    """Every row of the file (blank rows left out), or InvalidInput naming every bad row."""
    try:
        text = decode_bytes(path.read_bytes(), path.name)[0].lstrip("\ufeff")
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise InvalidInput(
            f"{path.name}: an attributes file needs a header row: document, then one column "
            "per attribute (for example document,team,specialisation)"
        )
    header = [cell.strip() for cell in rows[0]]
    if any(not name for name in header[1:]):
        raise InvalidInput(f"{path.name}, row 1: every attribute column needs a name")
    found: list[AttributeRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            errors.append(f"row {number}: {len(row)} cells but the header has {len(header)}")
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        document = values.pop(header[0])
        if not document:
            errors.append(f"row {number}: the document name is empty")
        elif document in seen:
            errors.append(f"row {number}: {document!r} is given twice (also row {seen[document]})")
        else:
            seen[document] = number
            found.append((number, document, values))
    if errors:
        raise InvalidInput(f"{path.name}, " + "; ".join(errors) + "; nothing was changed")
    return found
