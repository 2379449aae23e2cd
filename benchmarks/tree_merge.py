"""Benchmark of merging three coders' trees of 60 codes each (issue 15): the proposal
(name alignment with rapidfuzz, the coded-text evidence, the groups) and applying it,
in a SQLite project where each coder coded 20 passages per code across 20 documents.

    python benchmarks/tree_merge.py [--codes 60] [--trees 3] [--quotations 20]

Prints the seconds of each step (best of three for the pure steps).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.merge.align import candidate_links, group  # noqa: E402
from workbench.merge.plan import propose  # noqa: E402
from workbench.services.codebook import load_codebook  # noqa: E402
from workbench.services.coding import import_codings  # noqa: E402
from workbench.services.documents import import_transcripts  # noqa: E402
from workbench.services.project import open_project  # noqa: E402
from workbench.services.tree_merge import apply_plan, propose_plan, trees_from_project  # noqa: E402

WORDS = [
    "kansen",
    "belemmering",
    "tijd",
    "druk",
    "netwerk",
    "buurt",
    "bewoner",
    "partner",
    "kennis",
    "houding",
    "caseload",
    "registratie",
    "sociale",
    "kaart",
    "samen",
    "werken",
    "vraag",
    "aanbod",
    "wijk",
    "team",
]


def best(step: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--trees", type=int, default=3)
    parser.add_argument("--quotations", type=int, default=20, help="per code and coder")
    args = parser.parse_args()
    rng = random.Random(15)
    names = [f"coder{t + 1}" for t in range(args.trees)]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        documents = []
        for d in range(20):
            path = base / f"D{d:02}.txt"
            path.write_text("R: " + " ".join(rng.choices(WORDS, k=2000)) + "\n", encoding="utf-8")
            documents.append(path)
        for coder in names:
            rows = ["document,start,end,code,coder"]
            lines = [f"tree: {coder}", ""]
            for c in range(args.codes):
                lines.append(f"- {c + 1} {' '.join(rng.sample(WORDS, 3))} {c}")
                for _ in range(args.quotations):
                    start = rng.randrange(0, 13000)
                    end = start + rng.randrange(50, 600)
                    rows.append(f"D{rng.randrange(20):02},{start},{end},{c + 1},{coder}")
            (base / f"{coder}.codebook").write_text("\n".join(lines) + "\n", encoding="utf-8")
            (base / f"{coder}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        with open_project(str(base / "merge.db")) as project:
            for coder in names:
                load_codebook(project, base / f"{coder}.codebook")
            import_transcripts(project, documents)
            for coder in names:
                import_codings(project, base / f"{coder}.csv", tree=coder)
            start = time.perf_counter()
            trees = trees_from_project(project, names)
            read = time.perf_counter() - start
            links = best(lambda: candidate_links(trees.nodes, trees.evidence, 85.0))
            grouped = best(
                lambda: propose(group(trees.nodes, names, trees.evidence), trees.nodes, names)
            )
            start = time.perf_counter()
            plan = propose_plan(trees)
            applied = apply_plan(project, names, plan)
            applying = time.perf_counter() - start
    print(f"{args.trees} trees x {args.codes} codes, {args.quotations} quotations per code")
    print(f"reading the trees and the coded-text evidence: {read:.2f} s")
    print(f"candidate links (names, rapidfuzz):            {links:.2f} s")
    print(f"groups and the plan:                           {grouped:.2f} s")
    print(
        f"proposing and applying ({applied.codes} codes, {applied.quotations} quotations): "
        f"{applying:.2f} s"
    )


if __name__ == "__main__":
    main()
