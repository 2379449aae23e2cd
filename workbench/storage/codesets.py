"""A quotation's code set: the column that makes a category's count cheap.

A category counts distinct quotations, so a quotation with two of its codes must count
once: its codes' counts summed, less the quotations' extra codes. Finding the quotations
with two or more codes took a pass over the whole coding table, grouped by quotation
(1.3-3x the count itself). Instead `quotations.code_set` holds, for a quotation with two
or more codes, their ids in order ("3 7 12"), and NULL for one code (almost all); a
partial index over (code_set, document, coder) holds only those quotations, in code-set
order, so their sets come back already counted (a few hundred rows, not 40,000 codings).
Every write of codings keeps the column: the repositories' and the direct path's.

Standard library only: the repositories (SQLAlchemy) and the direct path (sqlite3) both
use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

# The set's column and the partial index's condition, in SQL both dialects read.
MULTI_CODED = "code_set IS NOT NULL"


# (coder, document) for every document a coder has a quotation in: one probe of
# quotations' (coder, document) index per coder who coded and document (3,000 on the
# benchmark project, 2 ms), where SELECT DISTINCT reads all 200,000 quotations (20 ms) and
# a recursive loose index scan costs more per step. Both dialects read it.
CODER_DOCUMENTS = """
SELECT coder.id, document.id
FROM (
    SELECT id FROM coders WHERE EXISTS (SELECT 1 FROM quotations WHERE coder_id = coders.id)
) AS coder
CROSS JOIN documents AS document
WHERE EXISTS (
    SELECT 1 FROM quotations WHERE coder_id = coder.id AND document_id = document.id
)
"""


def document_sets(lists: Iterable[str]) -> list[frozenset[int]]:
    """The documents of each code, from the comma-separated lists that SQLite's
    group_concat(DISTINCT document_id) gives in the index's order: codes found in the
    same documents give the same list, which is read once (on a project where most codes
    are in every document, three lists of 25 are read)."""
    read: dict[str, frozenset[int]] = {}
    found = []
    for listed in lists:
        documents = read.get(listed)
        if documents is None:
            documents = read[listed] = frozenset(map(int, listed.split(",")))
        found.append(documents)
    return found


def code_set(code_ids: Collection[int]) -> str | None:
    """The value of `quotations.code_set` for a quotation with these codes."""
    ids = sorted(set(code_ids)) if len(code_ids) > 1 else ()  # almost every quotation: none
    return " ".join(map(str, ids)) if len(ids) > 1 else None


def code_sets(
    pairs: Iterable[tuple[int, int]], quotation_ids: Iterable[int]
) -> list[tuple[str | None, int]]:
    """(code set, quotation) for each of these quotations, from its (quotation, code)
    pairs: the parameters of an UPDATE of the column."""
    codes: dict[int, list[int]] = {q: [] for q in quotation_ids}
    for quotation_id, code_id in pairs:
        if quotation_id in codes:
            codes[quotation_id].append(code_id)
    return [(code_set(found), quotation_id) for quotation_id, found in sorted(codes.items())]


def extras(
    counted: Iterable[tuple[str, int]], above: Mapping[int, Sequence[int]]
) -> dict[int, int]:
    """group -> what to take off the sum of its codes' counts, from (code set, number of
    quotations with it): a quotation with k codes of one group counts k - 1 too many."""
    found: dict[int, int] = defaultdict(int)
    for codes, n in counted:
        groups = [group for code in codes.split() for group in above.get(int(code), ())]
        if len(groups) > 1:
            for group_id in set(groups):
                k = groups.count(group_id)
                if k > 1:
                    found[group_id] += n * (k - 1)
    return dict(found)


def extras_by_document(
    counted: Iterable[tuple[str, int, int]], above: Mapping[int, Sequence[int]]
) -> dict[tuple[int, int], int]:
    """(group, document) -> extra, from (code set, document, number of quotations)."""
    found: dict[tuple[int, int], int] = defaultdict(int)
    for codes, document_id, n in counted:
        for group_id, extra in extras([(codes, n)], above).items():
            found[(group_id, document_id)] += extra
    return dict(found)
