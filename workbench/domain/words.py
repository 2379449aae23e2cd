"""Plain words for what a researcher reads: column names that are words for a program
(`percent_agreement`, `only_anouk`) as a person reads them. Markdown tables, the report
and the workbench's screens use these; csv, json and xlsx keep the program's names."""

from __future__ import annotations

import re

PLAIN = {
    "citations": "citations (quotations)",
    "percent_agreement": "percent agreement",
    "cohen_kappa": "Cohen's kappa",
    "fleiss_kappa": "Fleiss' kappa",
    "krippendorff_alpha": "Krippendorff's alpha",
    "holsti": "Holsti",
    "c_coefficient": "c-coefficient",
}
_MACHINE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def heading(column: str) -> str:
    """A column's name in plain words: `only anouk` for `only_anouk`, `Cohen's kappa` for
    `cohen_kappa`, `x mean` for `x_mean`; other names (a code's, an attribute's) as given."""
    if column in PLAIN:
        return PLAIN[column]
    for prefix in ("only_", "coded_by_"):
        if column.startswith(prefix) and len(column) > len(prefix):
            return prefix.replace("_", " ") + column[len(prefix) :]
    return column.replace("_", " ") if _MACHINE.fullmatch(column) else column
