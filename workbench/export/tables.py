"""Tables as pandas frames, and writing them as csv, xlsx, markdown or json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.domain.errors import InvalidInput
from workbench.export.formats import FORMATS, choose_format

__all__ = ["FORMATS", "choose_format", "counts_frame", "render", "write_table"]


def counts_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["nr"] = frame["nr"].astype("Int64")
    # Indent group members so the tree shows in plain text too; the type column keeps it exact.
    frame["code"] = [
        ("  " * int(depth)) + str(code)
        for depth, code in zip(frame["depth"], frame["code"], strict=True)
    ]
    return frame.drop(columns=["depth"])


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|")


def markdown(frame: pd.DataFrame) -> str:
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = [
        "| " + " | ".join(_cell(v) for v in row) + " |"
        for row in frame.itertuples(index=False, name=None)
    ]
    return "\n".join([header, rule, *body]) + "\n"


def _json(frame: pd.DataFrame) -> str:
    # pandas turns missing values (the empty nr of group rows) into null; json lays it out.
    records = json.loads(str(frame.to_json(orient="records")))
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return str(frame.to_csv(index=False, lineterminator="\n"))
    if fmt == "md":
        return markdown(frame)
    if fmt == "json":
        return _json(frame)
    raise InvalidInput(f"format {fmt!r} cannot be printed; write it to a file with --out")


def write_table(frame: pd.DataFrame, fmt: str, out: Path | None) -> str | None:
    """Write to `out`, or return the text for standard output."""
    if out is None:
        if fmt == "xlsx":
            raise InvalidInput("an xlsx table cannot go to the terminal; add --out FILE.xlsx")
        return render(frame, fmt)
    if fmt == "xlsx":
        frame.to_excel(out, index=False, sheet_name="table")
    else:
        out.write_text(render(frame, fmt), encoding="utf-8")
    return None
