"""Coders working in one project at the same time, in separate processes (issue 18)."""

from __future__ import annotations

from pathlib import Path

from tests import concurrency
from workbench.services.project import open_project


def _check(
    location: str, tmp_path: Path, outcomes: list[concurrency.Outcome], workers: int
) -> None:
    unexpected = [text for outcome in outcomes for text in outcome.unexpected]
    assert not unexpected, unexpected[0]
    with open_project(location) as project:
        for outcome in outcomes:
            logged = concurrency.logged_actions(project, outcome.coder)
            assert not concurrency.log_mismatches(outcome, logged), (
                outcome.coder,
                concurrency.log_mismatches(outcome, logged),
            )
        assert concurrency.shared_numbers(project) == []  # every code keeps its own number
        counted, recount = concurrency.counts_and_recount(project)
        assert counted == recount
        final = concurrency.state(project)
        replayed = tmp_path / "replayed.db"
        concurrency.build(str(replayed), tmp_path / "replay-material", workers)
        with open_project(str(replayed)) as into:
            concurrency.replay(project, into)
            assert concurrency.state(into) == final


def test_two_processes_write_one_sqlite_file_at_once(tmp_path: Path) -> None:
    """On SQLite the writers wait for each other: no "database is locked", nothing lost."""
    location = str(tmp_path / "team.db")
    concurrency.build(location, tmp_path / "material", workers=2)
    outcomes = concurrency.run_workers(location, workers=2, operations=40, timeout=120)
    _check(location, tmp_path, outcomes, 2)
    assert all(len(o.done) >= 20 for o in outcomes), [o.refused for o in outcomes]


def test_four_coders_at_once_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Four processes code, comment, rename, merge, add and undo at once: every action
    reported done is in the log, the log replays to the same project, counts add up."""
    concurrency.build(postgres_url, tmp_path / "material", workers=4)
    outcomes = concurrency.run_workers(postgres_url, workers=4, operations=20, timeout=150)
    _check(postgres_url, tmp_path, outcomes, 4)
    done = sum(len(o.done) for o in outcomes)
    assert done >= 50, [o.refused for o in outcomes]  # refusals are the exception
    assert {action for o in outcomes for action, _ in o.done} >= {"code", "comment", "undo"}
