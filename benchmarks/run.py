"""Time the workbench's import and counts table against plain sqlite3 on the same corpus.

    python benchmarks/run.py [--corpus benchmarks/corpus] [--generate-if-missing] [--profile]

Without --corpus the default corpus is generated when it is missing (that is what
`make bench` relies on); with --corpus, only when --generate-if-missing is given.

Measures, each ours against a baseline in the same run and the same temporary directory:

- import: the project's import_transcripts and import_codings on a new project file, against
  sqlite3 inserting the same rows in one transaction with executemany. Target: at most 3x.
- counts: counts_table on that project, against one SQL GROUP BY over the same project's
  covering index of the coding table (no join). Target: at most 2x.

`--counts-only PROJECT` times only the counts, on a copy of an existing SQLite project.

The exit code is 0 whether or not the targets are met (this is a report), and 1 when
our import or our counts disagree with the baseline, or the import reports errors.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import hashlib
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

# Run as a script, sys.path[0] is this folder: the generator imports as a plain module.
from generate import DEFAULT_OUT, Manifest, generate, read_manifest

from workbench.services.codebook import load_codebook
from workbench.services.coding import import_codings
from workbench.services.counts import counts_table
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CODEBOOK = ROOT / "codebooks" / "collectief-werken.codebook"
PROFILES = HERE / "out"
IMPORT_TARGET = 3.0
COUNTS_TARGET = 2.0
REPEATS = 3

T = TypeVar("T")

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
)

# The tables and indexes of ours that the import and the counts touch, without the
# bookkeeping columns (timestamps), the turns, the operation log and the span trigger.
BASELINE_SCHEMA = """
CREATE TABLE coders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    source_name TEXT NOT NULL,
    checksum TEXT NOT NULL
);
CREATE INDEX ix_documents_checksum ON documents (checksum);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    number INTEGER,
    name TEXT NOT NULL
);
CREATE TABLE quotations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    coder_id INTEGER NOT NULL REFERENCES coders (id),
    comment TEXT NOT NULL,
    CHECK (0 <= start AND start < "end")
);
CREATE INDEX ix_quotations_document_start ON quotations (document_id, start);
CREATE INDEX ix_quotations_coder_id ON quotations (coder_id);
CREATE TABLE quotation_codes (
    quotation_id INTEGER NOT NULL REFERENCES quotations (id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes (id),
    PRIMARY KEY (quotation_id, code_id)
);
CREATE INDEX ix_quotation_codes_code_id ON quotation_codes (code_id);
"""

# The timed baseline: one GROUP BY over our schema's covering index of the coding table
# (code, document, coder), run on our project file; no join with quotations, which the
# coding table does not need (it carries each quotation's document).
BASELINE_COUNTS = """
SELECT code_id, COUNT(*), COUNT(DISTINCT document_id)
FROM quotation_codes
GROUP BY code_id
"""

# The check, untimed: the same counts from the baseline's own database, whose coding
# table has no document column (so this one joins).
BASELINE_CHECK = """
SELECT qc.code_id, COUNT(*), COUNT(DISTINCT q.document_id)
FROM quotation_codes qc JOIN quotations q ON q.id = qc.quotation_id
GROUP BY qc.code_id
"""


class BenchmarkError(Exception):
    """Ours failed or disagrees with the baseline: the figures mean nothing."""


@dataclass
class Timings:
    documents: float
    quotations: float
    counts: float

    @property
    def total_import(self) -> float:
        return self.documents + self.quotations


@dataclass(frozen=True)
class CorpusSize:
    documents: int
    words: int | None
    megabytes: float
    quotations: int
    codings: int


Counts = dict[int, tuple[int, int]]  # code number -> (citations, documents)


def timed(call: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = call()
    return result, time.perf_counter() - began


def best_of(call: Callable[[], T], repeats: int = REPEATS) -> tuple[T, float]:
    runs = [timed(call) for _ in range(repeats)]
    return runs[-1][0], min(seconds for _, seconds in runs)


def transcript_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "transcripts").glob("*.txt"))


# --- the corpus -------------------------------------------------------------------------


def ensure_corpus(
    corpus: Path, *, may_generate: bool, documents: int, words: int, quotations: int, seed: int
) -> Manifest | None:
    """The corpus's manifest, generating the corpus first when it is missing and allowed."""
    manifest = read_manifest(corpus)
    complete = (corpus / "codings.csv").is_file() and bool(transcript_files(corpus))
    if manifest is not None or complete:
        return manifest
    if not may_generate:
        raise SystemExit(
            f"no corpus in {corpus}: run benchmarks/generate.py --out {corpus}, "
            "or give --generate-if-missing"
        )
    print(f"generating the corpus in {corpus} ...", flush=True)
    manifest, seconds = timed(
        lambda: generate(corpus, documents=documents, words=words, quotations=quotations, seed=seed)
    )
    print(f"generated in {seconds:.1f} s", flush=True)
    return manifest


def read_codings(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[1:]


def describe(corpus: Path, manifest: Manifest | None) -> CorpusSize:
    files = transcript_files(corpus)
    rows = read_codings(corpus / "codings.csv")
    return CorpusSize(
        documents=len(files),
        words=manifest.words * manifest.documents if manifest else None,
        megabytes=sum(path.stat().st_size for path in files) / 1e6,
        quotations=len({(row[0], row[1], row[2], row[4]) for row in rows}),
        codings=len(rows),
    )


# --- ours -------------------------------------------------------------------------------


def ours_import(db_path: Path, corpus: Path, expected: CorpusSize) -> tuple[float, float, float]:
    """Seconds for loading the codebook, importing the documents and the quotations."""
    with open_project(str(db_path)) as project:
        _, codebook = timed(lambda: load_codebook(project, CODEBOOK))
        report, documents = timed(lambda: import_transcripts(project, [corpus / "transcripts"]))
        if not report.ok or len(report.imported) != expected.documents:
            raise BenchmarkError(
                f"ours imported {len(report.imported)} of {expected.documents} documents; "
                + "; ".join([*report.failed, *report.duplicates][:5])
            )
        result, quotations = timed(lambda: import_codings(project, corpus / "codings.csv"))
        if (result.quotations, result.codings) != (expected.quotations, expected.codings):
            raise BenchmarkError(
                f"ours imported {result.quotations} quotations and {result.codings} codings, "
                f"expected {expected.quotations} and {expected.codings}"
            )
    return codebook, documents, quotations


def ours_counts(db_path: Path) -> tuple[Counts, float]:
    with open_project(str(db_path)) as project:
        frame, seconds = best_of(lambda: counts_table(project))
    return counts_by_number(frame), seconds


AGREEMENT_TARGET = 2.0  # seconds, for two coders over the whole corpus


def ours_agreement(db_path: Path) -> tuple[float, float, float]:
    """Seconds for the agreement table of the two coders; and the character counting alone
    on the same spans with every document as it is and twice as long."""
    from workbench.services.agreement import agreement
    from workbench.stats import agreement as stats
    from workbench.storage import repositories as repo

    with open_project(str(db_path)) as project:
        table, seconds = best_of(lambda: agreement(project, ["anouk", "bart"]), repeats=2)
        assert table.rows[-1]["both"] > 0, "the coders overlap somewhere"
        with project.unit_of_work() as session:
            tree = repo.find_tree(session, "joint")
            assert tree is not None
            codes = [c.id for c in repo.tree_codes(session, tree.id)]
            coders = [repo.find_coder(session, n).id for n in ("anouk", "bart")]
            lengths = repo.document_lengths(session)
            spans = repo.coded_spans(session, codes, coders, sorted(lengths))
    grouped: dict[tuple[int, int], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for code, document, coder, start, end in spans:
        pair = grouped.setdefault((code, document), ([], []))
        pair[0 if coder == coders[0] else 1].append((start, end))

    def count(scale: int) -> None:
        for (_code, document), (a, b) in grouped.items():
            stats.character_counts(lengths[document] * scale, a, b)

    _, single = best_of(lambda: count(1), repeats=3)
    _, double = best_of(lambda: count(2), repeats=3)
    return seconds, single, double


def counts_by_number(frame: pd.DataFrame) -> Counts:
    codes = frame[frame["type"] == "code"]
    return {
        int(nr): (int(citations), int(documents))
        for nr, citations, documents in zip(
            codes["nr"], codes["citations"], codes["documents"], strict=True
        )
        if int(citations)
    }


# --- the baseline -----------------------------------------------------------------------


def connect(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    return connection


def baseline_documents(connection: sqlite3.Connection, corpus: Path) -> dict[str, int]:
    """Insert every transcript; returns document name -> id."""
    rows = []
    for number, path in enumerate(transcript_files(corpus), start=1):
        data = path.read_bytes()
        text = data.decode("utf-8")
        rows.append((number, path.stem, text, path.name, hashlib.sha256(data).hexdigest()))
    connection.executemany(
        "INSERT INTO documents (id, name, text, source_name, checksum) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return {name: number for number, name, *_ in rows}


def baseline_quotations(
    connection: sqlite3.Connection, corpus: Path, documents: dict[str, int], codes: dict[str, int]
) -> None:
    """Rows with the same document, span and coder are one quotation with several codes."""
    coders: dict[str, int] = {}
    quotations: dict[tuple[int, int, int, int], tuple[int, str]] = {}
    codings: list[tuple[int, int]] = []
    for document, start, end, code, coder, comment in read_codings(corpus / "codings.csv"):
        coder_id = coders.setdefault(coder, len(coders) + 1)
        key = (documents[document], int(start), int(end), coder_id)
        quotation_id, _ = quotations.setdefault(key, (len(quotations) + 1, comment))
        codings.append((quotation_id, codes[code]))
    connection.executemany(
        "INSERT INTO coders (id, name) VALUES (?, ?)", [(i, n) for n, i in coders.items()]
    )
    connection.executemany(
        'INSERT INTO quotations (id, document_id, start, "end", coder_id, comment) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(i, *key, comment) for key, (i, comment) in quotations.items()],
    )
    connection.executemany(
        "INSERT INTO quotation_codes (quotation_id, code_id) VALUES (?, ?)", codings
    )


def baseline_import(db_path: Path, corpus: Path) -> tuple[float, float]:
    """Seconds for the documents and the quotations, each inserted and committed in a
    transaction of its own, as ours does (its imports commit before they return)."""
    connection = connect(db_path)
    try:
        connection.executescript(BASELINE_SCHEMA)
        connection.executemany(
            "INSERT INTO codes (id, number, name) VALUES (?, ?, ?)",
            [(n, n, f"code {n}") for n in range(1, 26)],
        )
        codes = {str(n): n for n in range(1, 26)}
        began = time.perf_counter()
        connection.execute("BEGIN")
        documents = baseline_documents(connection, corpus)
        connection.execute("COMMIT")
        split = time.perf_counter()
        connection.execute("BEGIN")
        baseline_quotations(connection, corpus, documents, codes)
        connection.execute("COMMIT")
        ended = time.perf_counter()
    finally:
        connection.close()
    return split - began, ended - split


def baseline_counts(db_path: Path, sql: str = BASELINE_COUNTS) -> tuple[Counts, float]:
    connection = connect(db_path)
    try:
        rows, seconds = best_of(lambda: connection.execute(sql).fetchall())
        numbers = dict(connection.execute("SELECT id, number FROM codes").fetchall())
    finally:
        connection.close()
    return {numbers[code_id]: (n, docs) for code_id, n, docs in rows}, seconds


def counts_only(project: Path) -> int:
    """--counts-only: ours and the baseline GROUP BY on an existing project, on a copy
    (the baseline's connection sets WAL); exit 1 when they disagree."""
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
        copy = Path(folder) / project.name
        for source in project.parent.glob(project.name + "*"):
            shutil.copyfile(source, Path(folder) / source.name)
        base, base_seconds = baseline_counts(copy)
        ours, our_seconds = ours_counts(copy)
        base, base_seconds = baseline_counts(copy)  # once more, after ours warmed the cache
    times = ratio(our_seconds, base_seconds)
    verdict = "PASS" if times <= COUNTS_TARGET else "FAIL"
    print(
        f"counts (best of {REPEATS}): ours {our_seconds:.3f} s, baseline {base_seconds:.3f} s, "
        f"{times:.1f}x (target {COUNTS_TARGET:g}x) {verdict}"
    )
    differences = compare(ours, base)
    if differences:
        print("ERROR: our counts differ from the baseline's:\n  " + "\n  ".join(differences))
        return 1
    return 0


# --- report -----------------------------------------------------------------------------


def ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline > 0 else float("inf")


def report(ours: Timings, baseline: Timings, codebook: float) -> list[str]:
    """Print the table; return the targets missed."""
    missed: list[str] = []
    lines = [
        ("import: documents", ours.documents, baseline.documents, None),
        ("import: quotations", ours.quotations, baseline.quotations, None),
        ("import: total", ours.total_import, baseline.total_import, IMPORT_TARGET),
        (f"counts (best of {REPEATS})", ours.counts, baseline.counts, COUNTS_TARGET),
    ]
    print(f"{'measure':<22}{'ours (s)':>10}{'baseline (s)':>14}{'ratio':>9}{'target':>9}  verdict")
    for name, mine, theirs, target in lines:
        times = ratio(mine, theirs)
        verdict = ""
        if target is not None:
            verdict = "PASS" if times <= target else "FAIL"
            if verdict == "FAIL":
                missed.append(f"{name} is {times:.1f}x the baseline (target {target:g}x)")
        shown = f"{target:g}x" if target is not None else "-"
        print(f"{name:<22}{mine:>10.3f}{theirs:>14.3f}{times:>8.1f}x{shown:>9}  {verdict}")
    print(f"(not in the table: our codebook load, {codebook:.3f} s)")
    return missed


def compare(ours: Counts, baseline: Counts) -> list[str]:
    return [
        f"code {number}: ours {ours.get(number)} (citations, documents), "
        f"baseline {baseline.get(number)}"
        for number in sorted(set(ours) | set(baseline))
        if ours.get(number) != baseline.get(number)
    ]


def profile(directory: Path, corpus: Path) -> None:
    """Run ours once more under cProfile; write the stats and print the top functions."""
    PROFILES.mkdir(exist_ok=True)
    db_path = directory / "profiled.db"
    with open_project(str(db_path)) as project:
        load_codebook(project, CODEBOOK)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("documents", lambda: import_transcripts(project, [corpus / "transcripts"])),
            ("quotations", lambda: import_codings(project, corpus / "codings.csv")),
            ("counts", lambda: counts_table(project)),
        ]
        for name, call in steps:
            profiler = cProfile.Profile()
            profiler.runcall(call)
            path = PROFILES / f"{name}.prof"
            profiler.dump_stats(path)
            print(f"\n--- profile of ours, {name} ({path.relative_to(ROOT)}) ---")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(r"workbench[/\\]", 12)
            stats.sort_stats("tottime").print_stats(8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help=f"default {DEFAULT_OUT.relative_to(ROOT)}")
    parser.add_argument("--generate-if-missing", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="afterwards, profile ours (untimed) with cProfile"
    )
    generation = parser.add_argument_group("when generating the corpus")
    generation.add_argument("--documents", type=int, default=1000)
    generation.add_argument("--words", type=int, default=8000)
    generation.add_argument("--quotations", type=int, default=200_000)
    generation.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--counts-only",
        type=Path,
        metavar="PROJECT",
        help="only the counts, on a copy of this existing SQLite project",
    )
    args = parser.parse_args(argv)
    if args.counts_only:
        return counts_only(args.counts_only)

    corpus: Path = args.corpus or DEFAULT_OUT
    manifest = ensure_corpus(
        corpus,
        may_generate=args.generate_if_missing or args.corpus is None,
        documents=args.documents,
        words=args.words,
        quotations=args.quotations,
        seed=args.seed,
    )
    size = describe(corpus, manifest)
    words = f"{size.words:,} words, " if size.words is not None else ""
    print(
        f"corpus {corpus}: {size.documents:,} documents, {words}{size.megabytes:.1f} MB, "
        f"{size.quotations:,} quotations, {size.codings:,} codings"
    )

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
        directory = Path(folder)
        for path in transcript_files(corpus):  # warm the page cache for both sides alike
            path.read_bytes()
        base_documents, base_quotations = baseline_import(directory / "baseline.db", corpus)
        base_counts, _ = baseline_counts(directory / "baseline.db", BASELINE_CHECK)
        gc.collect()
        try:
            codebook, documents, quotations = ours_import(directory / "ours.db", corpus, size)
            our_counts, our_seconds = ours_counts(directory / "ours.db")
        except BenchmarkError as error:
            print(f"ERROR: {error}")
            return 1
        grouped, base_seconds = baseline_counts(directory / "ours.db")
        if grouped != base_counts:
            print("ERROR: the baseline GROUP BY on our project differs from the baseline's own")
            return 1
        print()
        missed = report(
            Timings(documents, quotations, our_seconds),
            Timings(base_documents, base_quotations, base_seconds),
            codebook,
        )
        differences = compare(our_counts, base_counts)
        print()
        if differences:
            print("ERROR: our counts differ from the baseline's:\n  " + "\n  ".join(differences))
            return 1
        print(f"correctness: citations and documents of all {len(base_counts)} codes agree")
        if missed:
            print("verdict: FAIL, " + "; ".join(missed))
        else:
            print("verdict: PASS, every target met")
        agreement_seconds, single, double = ours_agreement(directory / "ours.db")
        verdict = "PASS" if agreement_seconds < AGREEMENT_TARGET else "FAIL"
        print(
            f"agreement, two coders, all codes and documents: {agreement_seconds:.3f} s "
            f"(target < {AGREEMENT_TARGET:g} s) {verdict}"
        )
        print(
            f"character counting on the same spans: {single:.3f} s as the texts are, "
            f"{double:.3f} s with every text twice as long ({double / single:.2f}x)"
        )
        if args.profile:
            profile(directory, corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
