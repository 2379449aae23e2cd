"""Coding actions per second, and each action's 95th-percentile latency, with 1, 2 and 4
coders coding at once in one PostgreSQL project (issue 18).

    .venv/bin/python benchmarks/team.py [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--actions 200] [--coders 1 2 4]

Each run creates a database of its own on the server (and drops it afterwards), stores 20
documents and the shipped code tree, then starts that many processes at once; each codes
`--actions` random passages (`code_passage`, as the `code` command and the workbench's
coding key do), each one transaction with its log entry. Target: 95th percentile under
50 ms with 4 coders. Exits 1 if an action fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from workbench.services.codebook import load_codebook, show_tree  # noqa: E402
from workbench.services.coding import code_passage  # noqa: E402
from workbench.services.documents import import_transcripts, list_documents  # noqa: E402
from workbench.services.project import open_project  # noqa: E402

TARGET_MS = 50.0
WORDS = ("de", "het", "een", "wijk", "team", "buurt", "bewoners", "overleg", "tijd", "samen")


def _setup(url: str, folder: Path) -> None:
    rng = random.Random(1)
    paths = []
    for i in range(1, 21):
        lines = [" ".join(rng.choice(WORDS) for _ in range(14)) for _ in range(60)]
        path = folder / f"T{i:02}.txt"
        path.write_text("\n".join(f"R: {line}." for line in lines) + "\n", encoding="utf-8")
        paths.append(path)
    with open_project(url) as project:
        import_transcripts(project, paths)
        load_codebook(project, REPOSITORY / "codebooks" / "collectief-werken.codebook")


def _coder(url: str, name: str, actions: int, start: Any, results: Any) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    with open_project(url) as project:
        documents = [(d.name, d.length) for d in list_documents(project)]
        codes = [str(line.code.number) for line in show_tree(project) if line.code.codable]
        rng = random.Random(name)
        start.wait()
        began = time.perf_counter()
        for _ in range(actions):
            document, length = rng.choice(documents)
            first = rng.randrange(0, length - 200)
            span = (first, first + rng.randrange(20, 200))
            started = time.perf_counter()
            try:
                code_passage(project, document, [rng.choice(codes)], span=span, coder=name)
            except Exception as error:  # reported, and the run fails
                failures.append(f"{name}: {error}")
            latencies.append(time.perf_counter() - started)
        results.put((latencies, failures, began, time.perf_counter()))


def _run(server: str, coders: int, actions: int) -> tuple[float, float, float, list[str]]:
    """(actions per second, p50 ms, p95 ms, failures) for `coders` processes at once."""
    name = f"workbench_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            _setup(url, Path(folder))
        context = multiprocessing.get_context("spawn")
        start, results = context.Event(), context.Queue()
        processes = [
            context.Process(target=_coder, args=(url, f"coder{i}", actions, start, results))
            for i in range(1, coders + 1)
        ]
        for process in processes:
            process.start()
        time.sleep(1.0)  # let every process open the project before the start
        start.set()
        outcomes = [results.get(timeout=600) for _ in processes]
        for process in processes:
            process.join(30)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    latencies = sorted(value for outcome in outcomes for value in outcome[0])
    failures = [failure for outcome in outcomes for failure in outcome[1]]
    elapsed = max(o[3] for o in outcomes) - min(o[2] for o in outcomes)

    def at(fraction: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(fraction * len(latencies)))]

    return len(latencies) / elapsed, at(0.5), at(0.95), failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--actions", type=int, default=200, help="coding actions per coder")
    parser.add_argument("--coders", type=int, nargs="+", default=[1, 2, 4])
    options = parser.parse_args()
    print(f"{'coders':>6} {'actions/s':>10} {'p50 ms':>8} {'p95 ms':>8}")
    failed = False
    for coders in options.coders:
        rate, p50, p95, failures = _run(options.server, coders, options.actions)
        verdict = ""
        if coders == 4:
            verdict = "PASS" if p95 < TARGET_MS else "FAIL"
            verdict = f"  {verdict} (target: p95 under {TARGET_MS:.0f} ms with 4 coders)"
        print(f"{coders:>6} {rate:>10.1f} {p50:>8.1f} {p95:>8.1f}{verdict}")
        for failure in failures[:5]:
            print(f"       failed: {failure}")
        failed = failed or bool(failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
