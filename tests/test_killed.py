"""A coder's process killed (SIGKILL) in the middle of a bulk import or a tree merge
leaves the project exactly as it was before the action or exactly as after it, on
SQLite and on PostgreSQL (issue 18)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from tests import concurrency
from tests.conftest import REPOSITORY
from tests.helpers import write
from tests.test_tree_merge import BART
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage, import_codings
from workbench.services.history import undo
from workbench.services.project import open_project
from workbench.services.tree_merge import apply_plan, propose_plan, trees_from_project
from workbench.storage import repositories as repo
from workbench.storage.project import Project

SHIPPED = REPOSITORY / "codebooks" / "collectief-werken.codebook"
ROWS = 1500  # codings in the imported file: enough for the import to take a while


def _setup(location: str, folder: Path) -> Path:
    """Two documents-rich trees (anouk's and bart's) with some coding, and a codings file."""
    concurrency.build(location, folder, workers=1)
    with open_project(location) as project:
        load_codebook(project, SHIPPED, tree="anouk")
        load_codebook(project, write(folder / "bart.codebook", BART))
        code_passage(project, "W01", ["2", "20"], span=(0, 10), coder="anouk", tree="anouk")
        code_passage(project, "W02", ["Bijvangst"], span=(5, 30), coder="bart", tree="bart")
        lengths = {d.name: d.length for d in concurrency.coding_documents(project)}
    rng = random.Random(3)
    lines = ["document,start,end,code,coder"]
    for _ in range(ROWS):
        document = rng.choice(sorted(lengths))
        start = rng.randrange(0, lengths[document] - 30)
        lines.append(f"{document},{start},{start + rng.randrange(3, 30)},2,coder1")
    return write(folder / "codings.csv", "\n".join(lines) + "\n")


def _act(location: str, action: str, codings: str, started: Any, hold: bool) -> None:
    """The child: one action; with `hold`, it stops when the action has written all of
    its rows and its log entry, before the commit, and waits there to be killed."""
    if hold:
        original = repo.log_operation

        def log_then_wait(*args: Any, **kwargs: Any) -> int:
            logged = original(*args, **kwargs)
            started.set()
            time.sleep(60)
            return logged

        repo.log_operation = log_then_wait  # type: ignore[assignment]
    with open_project(location) as project:
        if not hold:
            started.set()
        if action == "import":
            import_codings(project, Path(codings), coder="coder1", tree="joint")
        else:
            trees = trees_from_project(project, ["anouk", "bart"])
            apply_plan(project, ["anouk", "bart"], propose_plan(trees), joint="samen")


def _kill_during(location: str, action: str, codings: Path, hold: bool, delay: float) -> None:
    # Forked, not spawned: the child starts at once, without importing everything again.
    # It opens its own connections; a forked child ends without closing the parent's.
    context = multiprocessing.get_context("fork")
    started = context.Event()
    child = context.Process(target=_act, args=(location, action, str(codings), started, hold))
    child.start()
    assert started.wait(60), "the action did not start"
    time.sleep(delay)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert child.exitcode == -signal.SIGKILL or not hold


def _last_kind(project: Project) -> str:
    with project.unit_of_work() as session:
        return repo.list_operations(session, 1)[0].kind


@pytest.mark.parametrize("action", ["import", "merge"])
def test_a_process_killed_mid_action_leaves_the_project_before_or_after(
    project_location: str, tmp_path: Path, action: str
) -> None:
    codings = _setup(project_location, tmp_path / "material")
    with open_project(project_location) as project:
        before = concurrency.state(project)
        kind = _last_kind(project)
    # Killed with everything written but not committed: nothing of it is there.
    _kill_during(project_location, action, codings, hold=True, delay=0.0)
    with open_project(project_location) as project:
        assert concurrency.state(project) == before
        assert _last_kind(project) == kind
    # Killed at a moment somewhere in the action: before, or after in full (the undo of
    # the logged action, which checks every row it removes, brings back exactly before).
    _kill_during(project_location, action, codings, hold=False, delay=random.uniform(0, 1.0))
    with open_project(project_location) as project:
        if concurrency.state(project) != before:
            assert _last_kind(project) != kind
            undo(project, None if action == "merge" else "coder1")
            assert concurrency.state(project) == before
