"""How much coded text two codes of different trees share: the evidence, beside the
names, that two coders meant the same thing by differently named codes.

For codes X and Y: the characters coded with X (by any quotation of X) that are also
coded with Y, summed over documents, relative to the smaller of the two codes' coded
characters (0-1). A sweep over span boundaries per document, so the cost follows the
number of quotations, not the length of the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from workbench.stats.intervals import Span, union

# per tree: code name -> document id -> that code's spans in the document
Coded = Mapping[str, Mapping[int, Iterable[Span]]]


def shared_text(trees: Sequence[Coded]) -> dict[tuple[int, str, int, str], float]:
    """(tree i, code X, tree j, code Y) -> shared text, for i < j and every pair of codes
    that both have coded text (0.0 where they share none)."""
    merged: list[dict[str, dict[int, list[Span]]]] = [
        {code: {doc: union(spans) for doc, spans in docs.items()} for code, docs in tree.items()}
        for tree in trees
    ]
    totals = [
        {
            code: sum(e - s for spans in docs.values() for s, e in spans)
            for code, docs in tree.items()
        }
        for tree in merged
    ]
    shared: dict[tuple[int, str, int, str], int] = {}
    documents = {doc for tree in merged for docs in tree.values() for doc in docs}
    for doc in sorted(documents):
        events: list[tuple[int, int, int, str]] = []  # (position, +1/-1, tree, code)
        for t, tree in enumerate(merged):
            for code, docs in tree.items():
                for start, end in docs.get(doc, ()):
                    events.extend(((start, 1, t, code), (end, -1, t, code)))
        events.sort(key=lambda e: (e[0], e[1]))
        active: list[set[str]] = [set() for _ in merged]
        last = 0
        for position, step, t, code in events:
            length = position - last
            if length:
                for i in range(len(merged)):
                    for j in range(i + 1, len(merged)):
                        for x in active[i]:
                            for y in active[j]:
                                shared[(i, x, j, y)] = shared.get((i, x, j, y), 0) + length
            last = position
            (active[t].add if step > 0 else active[t].discard)(code)
    result: dict[tuple[int, str, int, str], float] = {}
    for i in range(len(merged)):
        for j in range(i + 1, len(merged)):
            for x, total_x in totals[i].items():
                for y, total_y in totals[j].items():
                    if total_x and total_y:
                        both = shared.get((i, x, j, y), 0)
                        result[(i, x, j, y)] = both / min(total_x, total_y)
    return result
