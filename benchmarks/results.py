"""Time retrieval, search and co-occurrence on the benchmark project against plain
sqlite3 and plain Python doing the same work in the same run.

    python benchmarks/results.py [--project bench.db]

Without --project the benchmark project is built first (benchmarks/cli.py's
build_project: 1,000 documents, 200,000 quotations). Each measure is the best of 3;
each checks that ours and the baseline agree, and exits 1 when they do not.

- retrieval: `retrieve(code 2, coder anouk)` (rows with paragraph, speaker, quoted text
  without labels) against one SQL join and Python slicing of the texts.
- search: `search("buurthuis", whole word, ignoring case)` with keyword in context,
  against `re.finditer` over every text read with one SELECT.
- co-occurrence: `cooccurrence_table(unit=quotation)` over every code against an SQL
  self-join of the coding table grouped by code pair.
Target: each of ours under 1 s.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cli import build_project

from workbench.services.cooccurrence import cooccurrence_table
from workbench.services.project import open_project
from workbench.services.retrieval import retrieve
from workbench.services.search import SearchOptions, search

T = TypeVar("T")
TARGET = 1.0


def best_of(call: Callable[[], T], repeats: int = 3) -> tuple[T, float]:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return result, best


def baseline_retrieval(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        texts = dict(connection.execute("SELECT id, text FROM documents"))
        rows = connection.execute(
            'SELECT q.id, q.document_id, q.start, q."end" FROM quotation_codes l '
            "JOIN quotations q ON q.id = l.quotation_id JOIN codes c ON c.id = l.code_id "
            "JOIN coders k ON k.id = q.coder_id "
            "WHERE c.number = 2 AND k.name = 'anouk' ORDER BY q.document_id, q.start"
        ).fetchall()
    return len([texts[d][s:e] for _, d, s, e in rows])


def baseline_search(db: Path) -> int:
    pattern = re.compile(r"(?<!\w)buurthuis(?!\w)", re.IGNORECASE)
    with sqlite3.connect(db) as connection:
        texts = [t for (t,) in connection.execute("SELECT text FROM documents")]
    return sum(
        len([t[max(0, m.start() - 60) : m.end() + 60] for m in pattern.finditer(t)]) for t in texts
    )


def baseline_cooccurrence(db: Path) -> dict[tuple[int, int], int]:
    with sqlite3.connect(db) as connection:
        return {
            (a, b): n
            for a, b, n in connection.execute(
                "SELECT a.code_id, b.code_id, COUNT(*) FROM quotation_codes a "
                "JOIN quotation_codes b ON a.quotation_id = b.quotation_id "
                "AND a.code_id < b.code_id GROUP BY a.code_id, b.code_id"
            )
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="An existing benchmark project.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = args.project or build_project(Path(folder))
        with open_project(str(db)) as project:
            ours_rows, ours_r = best_of(lambda: retrieve(project, codes=["2"], coders=["anouk"]))
            base_rows, base_r = best_of(lambda: baseline_retrieval(db))
            options = SearchOptions(whole_word=True, ignore_case=True)
            hits, ours_s = best_of(lambda: search(project, "buurthuis", options))
            base_hits, base_s = best_of(lambda: baseline_search(db))
            table, ours_c = best_of(lambda: cooccurrence_table(project))
            pairs, base_c = best_of(lambda: baseline_cooccurrence(db))
    ours_pairs = {
        (a.id, b.id): table.cells[(a.id, b.id)].count
        for a in table.codes
        for b in table.codes
        if a.id < b.id and table.cells[(a.id, b.id)].count
    }
    problems = []
    if len(ours_rows) != base_rows:
        problems.append(f"retrieval: ours {len(ours_rows)} rows, baseline {base_rows}")
    if len(hits) != base_hits:
        problems.append(f"search: ours {len(hits)} hits, baseline {base_hits}")
    if ours_pairs != pairs:
        problems.append("co-occurrence: the pair counts differ")
    print("| measure | ours (s) | baseline (s) | ratio | rows | target < 1 s |")
    print("|---|---:|---:|---:|---:|---|")
    for name, ours, base, rows in (
        ("retrieval (code 2, anouk)", ours_r, base_r, len(ours_rows)),
        ("search 'buurthuis'", ours_s, base_s, len(hits)),
        ("co-occurrence (quotation)", ours_c, base_c, len(ours_pairs)),
    ):
        met = "met" if ours < TARGET else "NOT met"
        print(f"| {name} | {ours:.3f} | {base:.3f} | {ours / base:.1f}x | {rows} | {met} |")
    for problem in problems:
        print(f"DISAGREE: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
