"""Ranking codes for a typed query: by number, by part of the name, or despite a typo."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from workbench.domain.model import Code

MIN_SCORE = 55.0


def rank_codes(
    query: str, codes: Sequence[Code], limit: int = 30, *, categories: bool = False
) -> list[Code]:
    """Codable codes (and categories, if asked) that fit `query`, best first; all of them, in
    tree order, for no query.

    "12" finds code number 12 first; "kans" finds names containing it; "belemeringen"
    (a typo) still finds "Belemmeringen collectief werken".
    """
    candidates = [code for code in codes if categories or code.codable]
    text = query.strip()
    if not text:
        return candidates[:limit]
    exact_number = [c for c in candidates if text.isdigit() and c.number == int(text)]
    scored = process.extract(
        text,
        {code.id: code.label for code in candidates},
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=MIN_SCORE,
    )
    by_id = {code.id: code for code in candidates}
    # Names that contain the query as typed come before fuzzy matches of equal score.
    folded = text.casefold()
    ranked = sorted(scored, key=lambda hit: (-(folded in hit[0].casefold()), -hit[1], hit[0]))
    ordered = exact_number + [by_id[key] for _label, _score, key in ranked]
    return list(dict.fromkeys(ordered))[:limit]
