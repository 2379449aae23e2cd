"""A built wheel works on its own: package data included, the console script runs.

An editable install reads files from the source tree, so a file missing from the
wheel goes unnoticed there. This test builds the wheel from a copy of the sources,
installs it without its dependencies into a fresh virtual environment (which borrows
the dependencies of the running one through a .pth file, so nothing is downloaded),
and runs a user's first commands through the installed `workbench` script.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from tests.conftest import REPOSITORY
from tests.helpers import INTERVIEW, small_codebook, write

IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "corpus", "out", "*.db*"
)


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_built_wheel_loads_a_codebook_imports_and_counts(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPOSITORY, source, ignore=IGNORED, symlinks=True)
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--quiet",
        "--wheel-dir",
        tmp_path / "dist",
        source,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("workbench-*.whl"))

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    # Dependencies come from the running environment; workbench itself only from the wheel.
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--quiet",
        wheel,
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "work"
    work.mkdir()
    where = _run(python, "-c", "import workbench; print(workbench.__file__)", cwd=work)
    assert where.stdout.startswith(str(site)), f"workbench came from {where.stdout}"

    script = fresh / "bin" / "workbench"
    write(work / "R01.txt", INTERVIEW)
    small_codebook(work)
    for command in (
        ["init"],
        ["codebook", "load", "small.codebook"],
        ["import", "R01.txt"],
        ["code", "R01", "2", "--span", "0:10", "--coder", "anouk"],
    ):
        result = _run(script, *command, cwd=work)
        assert result.returncode == 0, f"{command}: {result.stderr}"
    counts = _run(script, "counts", "--format", "csv", cwd=work)
    assert counts.returncode == 0, counts.stderr
    assert "Belemmeringen collectief werken" in counts.stdout
    # The report's template is package data: the installed wheel must carry it.
    report = _run(script, "report", "--out", "report.html", cwd=work)
    assert report.returncode == 0, report.stderr
    assert "Belemmeringen collectief werken" in (work / "report.html").read_text(encoding="utf-8")
