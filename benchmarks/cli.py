"""Time the `workbench` command as a process: start-up, one coding call, the counts table.

    python benchmarks/cli.py [--project big.db] [--runs 3]

Each figure is the median wall time of --runs runs, printed beside its baseline from the
same run: `python -c "import click"` for --help and --version (target: at most 3x), and
the absolute targets of issue 11 for `code` (0.3 s) and `counts` (0.5 s) on a project
of the benchmark corpus (1,000 documents, 200,000 quotations). Without --project, the
project is built from benchmarks/corpus (generated when missing) in a temporary folder.
The exit code is 0: this is a report. On a SQLite project at the current schema, code and
counts take storage's direct path (storage/direct, plain sqlite3); the report says which.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import DEFAULT_OUT, generate, read_manifest

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).with_name("workbench")
CODEBOOK = HERE.parent / "codebooks" / "collectief-werken.codebook"


CPU_TIMES: dict[str, list[float]] = {}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], runs: int) -> float:
    """Median wall time of the command; its CPU time (user + system, which a busy
    machine disturbs far less than wall time) is kept in CPU_TIMES under its name."""
    times = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), children_cpu()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        CPU_TIMES.setdefault(" ".join(command[-2:]), []).append(children_cpu() - cpu)
    return statistics.median(times)


def cpu_ms(command: list[str]) -> str:
    """The median CPU time of the runs of command, for the report."""
    return f"{statistics.median(CPU_TIMES[' '.join(command[-2:])]) * 1000:.0f} ms CPU"


def build_project(folder: Path) -> Path:
    from workbench.services.codebook import load_codebook
    from workbench.services.coding import import_codings
    from workbench.services.documents import import_transcripts
    from workbench.services.project import open_project

    if read_manifest(DEFAULT_OUT) is None:
        generate(DEFAULT_OUT, documents=1000, words=8000, quotations=200_000, seed=1)
    path = folder / "bench.db"
    with open_project(str(path)) as project:
        load_codebook(project, CODEBOOK, coder="bench")
        import_transcripts(project, [DEFAULT_OUT / "transcripts"], coder="bench")
        import_codings(project, DEFAULT_OUT / "codings.csv", coder="bench")
    return path


def path_taken(project: Path) -> str:
    """Which way `code` and `counts` go for this project: storage's direct path (plain
    sqlite3, a SQLite file at the current schema) or the ORM."""
    from workbench.storage.direct import open_direct

    direct = open_direct(str(project))
    if direct is None:
        return "the ORM path (not a SQLite project at the current schema)"
    direct.close()
    return "the direct path (sqlite3, no SQLAlchemy)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, help="An existing benchmark project.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    baseline = [sys.executable, "-c", "import click"]
    click_time = timed(baseline, args.runs)
    print(f"baseline python -c 'import click': {click_time * 1000:.0f} ms ({cpu_ms(baseline)})")
    for flag in ("--help", "--version"):
        ours = timed([str(SCRIPT), flag], args.runs)
        print(
            f"workbench {flag}: {ours * 1000:.0f} ms = {ours / click_time:.1f}x (target 3x; "
            f"{cpu_ms([str(SCRIPT), flag])})"
        )

    with tempfile.TemporaryDirectory() as folder:
        project = args.project or build_project(Path(folder))
        print(f"code and counts take {path_taken(project)}")
        span = iter(range(10, 10_000, 40))
        code_times, code_cpu = [], []
        for _ in range(args.runs):
            start = next(span)
            command = [str(SCRIPT), "-p", str(project), "code", "D0001", "12"]
            command += ["--coder", f"bench-cli-{os.getpid()}", "--span", f"{start}:{start + 20}"]
            code_times.append(timed(command, 1))
            code_cpu.append(CPU_TIMES.pop(" ".join(command[-2:]))[0])
        code_time = statistics.median(code_times)
        print(
            f"workbench code (one call): {code_time * 1000:.0f} ms (target 300 ms; "
            f"{statistics.median(code_cpu) * 1000:.0f} ms CPU)"
        )
        command = [str(SCRIPT), "-p", str(project), "counts"]
        counts = timed(command, args.runs)
        print(f"workbench counts: {counts * 1000:.0f} ms (target 500 ms; {cpu_ms(command)})")


if __name__ == "__main__":
    main()
