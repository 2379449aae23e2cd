"""Agreement coefficients and other figures: pure functions over spans and counts.

Imports only the standard library. `intervals` sweeps over span boundaries; `agreement`
turns the resulting counts into figures that are a value, or None with the reason.
"""

from workbench.stats.agreement import (
    CharacterCounts,
    Figure,
    PresenceCounts,
    Profile,
    QuotationMatch,
    TwoCoderTable,
    character_counts,
    cohen_kappa,
    fleiss_kappa,
    holsti,
    krippendorff_alpha,
    match_quotations,
    percent_agreement,
    presence_counts,
    profile,
    profile_percent_agreement,
)
from workbench.stats.intervals import Span, coverage_profile, covered, union

__all__ = [
    "CharacterCounts",
    "Figure",
    "PresenceCounts",
    "Profile",
    "QuotationMatch",
    "Span",
    "TwoCoderTable",
    "character_counts",
    "cohen_kappa",
    "coverage_profile",
    "covered",
    "fleiss_kappa",
    "holsti",
    "krippendorff_alpha",
    "match_quotations",
    "percent_agreement",
    "presence_counts",
    "profile",
    "profile_percent_agreement",
    "union",
]
