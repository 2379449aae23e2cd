"""Time the `workbench` command as a process: start-up, one coding call, the counts table.

    python benchmarks/cli.py [--project big.db] [--runs 3]

Each figure is the median wall time of --runs runs, printed beside its baseline from the
same run: `python -c "import click"` for --help and --version (target: at most 3x), and
the absolute targets of issue 11 for `code` (0.3 s) and `counts` (0.5 s) on a project
of the benchmark corpus (1,000 documents, 200,000 quotations). Without --project, the
project is built from benchmarks/corpus (generated when missing) in a temporary folder.
The exit code is 0: this is a report.
"""

from __future__ import annotations

import argparse
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


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, help="An existing benchmark project.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    click_time = timed([sys.executable, "-c", "import click"], args.runs)
    print(f"baseline python -c 'import click': {click_time * 1000:.0f} ms")
    for flag in ("--help", "--version"):
        ours = timed([str(SCRIPT), flag], args.runs)
        print(f"workbench {flag}: {ours * 1000:.0f} ms = {ours / click_time:.1f}x (target 3x)")

    with tempfile.TemporaryDirectory() as folder:
        project = args.project or build_project(Path(folder))
        span = iter(range(10, 10_000, 40))
        code_times = []
        for _ in range(args.runs):
            start = next(span)
            command = [str(SCRIPT), "-p", str(project), "code", "D0001", "12"]
            command += ["--span", f"{start}:{start + 20}", "--coder", "bench-cli"]
            code_times.append(timed(command, 1))
        code_time = statistics.median(code_times)
        print(f"workbench code (one call): {code_time * 1000:.0f} ms (target 300 ms)")
        counts = timed([str(SCRIPT), "-p", str(project), "counts"], args.runs)
        print(f"workbench counts: {counts * 1000:.0f} ms (target 500 ms)")


if __name__ == "__main__":
    main()
