"""Small builders of test material: a codebook, transcripts written to disk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.worker import WorkerCancelled

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from textual.app import App
    from textual.pilot import Pilot

    from workbench.storage.project import Project

SMALL_CODEBOOK = """\
codebook: test tree
tree: joint

* Kansen en belemmeringen
  - 2 Belemmeringen collectief werken
    colour: #d62728
    definition: Obstacles.
  - 12 Kansen/mogelijkheden collectief werken
    definition: Opportunities.
* Kennis
  - 20 Sociale kaart
- 9 Definitie collectief werken
"""

INTERVIEW = (
    "I: Wat verstaat u onder collectief werken?\n"
    "R: Eh, nou ja. Dat je vragen van mensen bij elkaar brengt.\n"
    "I: En wat houdt u tegen?\n"
    "R: De caseload. Die is te hoog, echt te hoog.\n"
)


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def small_codebook(folder: Path) -> Path:
    return write(folder / "small.codebook", SMALL_CODEBOOK)


def tui_project(tmp_path: Path, text: str = INTERVIEW) -> Project:
    """A project file with the small codebook and one transcript R01 (`text`)."""
    from workbench.services.codebook import load_codebook
    from workbench.services.documents import import_transcripts
    from workbench.services.project import open_project

    project = open_project(str(tmp_path / "p.db"))
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", text)])
    return project


async def workers_done(app: App[Any]) -> None:
    """Until the app's workers are done. An exclusive worker (the kept place, a look at
    the others' work, a reload) that a newer one replaced while we waited counts as
    done: its successor is waited for in turn."""
    for _ in range(8):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue
    raise AssertionError("the workers were still being replaced after 8 rounds")


async def settle(pilot: Pilot[Any]) -> None:
    """Until the workbench's background work is done and the screen shows it."""
    for _ in range(4):
        await pilot.pause()
        await workers_done(pilot.app)
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 20) -> None:
    """Until `condition` holds (the app working on meanwhile), then settled: for what
    comes from background work through a chain of messages that `workers_done` alone
    may return before (it waits for the workers there are, not those still to come)."""
    waited = 0.0
    while not condition():
        if waited >= seconds:
            raise AssertionError(f"still not so after {seconds} s")
        await pilot.pause(0.05)
        waited += 0.05
    await settle(pilot)


CLOCKS = (
    "workbench.storage.repositories.now",
    "workbench.storage.changes.now",
    "workbench.storage.direct.changes.now",
    "workbench.storage.direct.passages.now",
)


def set_clock(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """What the services and storage take as now, on the ORM's path and the direct one."""
    for clock in CLOCKS:
        monkeypatch.setattr(clock, lambda: when)
