"""PostgreSQL tells every listener of an operation when it commits, and never of one
that rolls back (issue 18): what the open workbenches reload on."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest

from tests.helpers import small_codebook
from workbench.services import history
from workbench.services.codebook import load_codebook
from workbench.services.codebook_edits import add_code
from workbench.services.project import open_project
from workbench.storage import repositories as repo

QUIET = 0.5  # long enough for a notification to arrive: on this server it takes ~ms


def _next(heard: queue.Queue[int | None], within: float) -> int | None:
    return heard.get(timeout=within)


def test_an_operation_is_heard_when_it_commits_and_one_rolled_back_is_not(
    postgres_url: str, tmp_path: Path
) -> None:
    heard: queue.Queue[int | None] = queue.Queue()
    with open_project(postgres_url) as listening, open_project(postgres_url) as working:
        load_codebook(working, small_codebook(tmp_path))
        stop = history.watch_changes(listening, heard.put, lambda _problem: None)
        assert stop is not None
        try:
            assert _next(heard, within=5.0) is None  # listening: ask the log what is new
            with pytest.raises(RuntimeError), working.unit_of_work() as session:
                repo.log_operation(session, None, "test", "rolled back", {})
                raise RuntimeError("the action fails after writing its log entry")
            with working.unit_of_work() as session:
                kept = repo.log_operation(session, None, "test", "kept", {})
                time.sleep(QUIET)
                assert heard.empty(), "heard of the operation before it was committed"
            assert _next(heard, within=1.0) == kept
            assert history.latest_change(working) == kept
            added = time.monotonic()
            add_code(working, "Bijvangst", coder="bart")  # a service call, as any action
            assert _next(heard, within=1.0) == history.latest_change(working)
            assert time.monotonic() - added < 1.0
            time.sleep(QUIET)
            assert heard.empty()  # one action, one notification; the rolled-back one never
        finally:
            stop()


def test_a_sqlite_project_has_nothing_to_listen_to(tmp_path: Path) -> None:
    with open_project(str(tmp_path / "project.db")) as project:
        assert history.watch_changes(project, print, print) is None
