"""Tables as pandas frames, and writing them as csv, xlsx, markdown or json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.domain.errors import InvalidInput
from workbench.export.formats import FORMATS, choose_format

__all__ = ["FORMATS", "NOTE", "choose_format", "counts_frame", "render", "shown", "write_table"]


def counts_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["nr"] = frame["nr"].astype("Int64")
    # Indent group members so the tree shows in plain text too; the type column keeps it exact.
    frame["code"] = [
        ("  " * int(depth)) + str(code)
        for depth, code in zip(frame["depth"], frame["code"], strict=True)
    ]
    return frame.drop(columns=["depth"])


NOTE = "note"  # frame.attrs[NOTE]: what a table counts, carried into json and xlsx


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return shown(value)
    return str(value).replace("|", "\\|")


def shown(value: float) -> str:
    """A figure as the screen and markdown show it: four decimals at most. Machine-readable
    formats (csv, json, xlsx) keep the full precision."""
    return f"{round(value, 4):g}" if value == value else ""


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
    # Missing values (the empty nr of group rows) become null; floats keep every digit
    # (pandas' own to_json stops at 15).
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    note = frame.attrs.get(NOTE)
    document: Any = {**note, "rows": records} if note else records
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    """numpy's numbers as Python's, for json."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as json")


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
        note = frame.attrs.get(NOTE)
        with pd.ExcelWriter(out) as writer:
            frame.to_excel(writer, index=False, sheet_name="table")
            if note:
                lines = pd.DataFrame(
                    [
                        {
                            "about": key,
                            "value": "; ".join(map(str, v)) if isinstance(v, list) else v,
                        }
                        for key, v in note.items()
                    ]
                )
                lines.to_excel(writer, index=False, sheet_name="note")
    else:
        out.write_text(render(frame, fmt), encoding="utf-8")
    return None
