"""`workbench code` and `workbench counts` through storage's direct path (plain sqlite3)
do exactly what the ORM path does: the same output, errors and exit codes, and the same
rows in every table, the operation log included (issue 11).

Each case runs on two copies of the demo project: once as the command line runs it (the
direct path, with the ORM's way in made to fail so that the case cannot pass on it), once
with the direct path declined (as for a project at another schema revision), and then
every table of both copies is compared. Times differ between the runs: each is replaced
by the order in which it first appears, so that the format of every stored time, and
which rows share one, are compared too.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result
from workbench.services.demo import build_demo

# A stored time (SQLAlchemy's DATETIME text on SQLite) or an ISO 8601 time in the log.
_TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


def dump(path: Path, *, times: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in order, with each time replaced by <time N> (unless
    `times`: as stored)."""
    seen: dict[str, str] = {}

    def masked(value: Any) -> Any:
        if times or not isinstance(value, str):
            return value
        return _TIME.sub(lambda m: seen.setdefault(m.group(0), f"<time {len(seen)}>"), value)

    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found = {}
        for table in tables:
            width = len(connection.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ", ".join(str(i + 1) for i in range(width))
            rows = connection.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            found[table] = [tuple(masked(v) for v in row) for row in rows]
    return found


class Twins:
    """Two copies of one project: each command runs on both, one way each."""

    def __init__(self, run: Any, monkeypatch: pytest.MonkeyPatch, folder: Path, demo: Path):
        self.run, self.monkeypatch = run, monkeypatch
        self.direct, self.orm = folder / "direct.db", folder / "orm.db"
        shutil.copy(demo, self.direct)
        shutil.copy(demo, self.orm)

    def both(self, *args: str, direct: bool = True) -> Result:
        """The command on both copies, on the direct path (unless `direct` is False: what
        it leaves to the ORM) and on the ORM's; returns its result once both agree."""
        with self.monkeypatch.context() as patch:
            if direct:
                patch.setattr("workbench.services.project.open_project", _refused)
            first = self.run("-p", str(self.direct), *args)
        with self.monkeypatch.context() as patch:
            patch.setattr("workbench.storage.direct.project.HEAD_REVISION", "not-this-one")
            second = self.run("-p", str(self.orm), *args)
        assert first == second
        return first

    def orm_only(self, *args: str) -> Result:
        """Another command (undo, redo), run the normal way on both copies."""
        first = self.run("-p", str(self.direct), *args)
        second = self.run("-p", str(self.orm), *args)
        assert first == second
        return first

    def same_tables(self) -> None:
        assert dump(self.direct) == dump(self.orm)


def _refused(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("took the ORM path")


@pytest.fixture
def twins(run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo: Path) -> Iterator[Twins]:
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    yield Twins(run, monkeypatch, tmp_path, demo)


def _text(path: Path, document: str) -> str:
    with sqlite3.connect(path) as connection:
        (text,) = connection.execute("SELECT text FROM documents WHERE name = ?", (document,))
    return str(text[0])


def _code_name(path: Path, number: int) -> str:
    with sqlite3.connect(path) as connection:
        (name,) = connection.execute("SELECT name FROM codes WHERE number = ?", (number,))
    return str(name[0])


def test_coding_through_the_direct_path_writes_what_the_orm_writes(twins: Twins) -> None:
    text = _text(twins.direct, "R02")
    exact = text[400:460]
    fuzzy = exact[:20] + exact[21:40] + "x" + exact[41:]  # a letter dropped, one changed
    steps = [
        ("R01", "12", "--span", "0:10", "--coder", "anouk"),  # a new quotation
        ("R01", "2", "--span", "0:10", "--coder", "anouk"),  # a second code on it
        ("R01", "9", "18", "--span", "20:40", "--coder", "Zed ", "--comment", "let op: één"),
        ("R01.txt", _code_name(twins.direct, 20), "--span", "50:60", "--coder", "ZED"),
        ("R02", "12", "--quote", fuzzy, "--coder", "bart"),
        ("R02", "2", "--quote", exact, "--coder", "bart"),  # the same span: added to it
        ("FG01", "12", "--span", "5:9", "--coder", "anouk", "--tree", "joint"),
    ]
    for step in steps:
        result = twins.both("code", *step)
        assert result.code == 0, result.stderr
    assert "matched fuzzily" in twins.both("code", "R02", "9", "--quote", fuzzy, "-c", "x").stderr
    twins.same_tables()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("NOPE", "12", "--span", "0:5", "-c", "anouk"), "no document 'NOPE'"),
        (("R01", "999", "--span", "0:5", "-c", "anouk"), "999"),
        (("R01", "12", "--span", "5:2", "-c", "anouk"), "span"),
        (("R01", "12", "--span", "0:99999999", "-c", "anouk"), "R01"),
        (("R01", "12", "--span", "0:5"), "who is coding?"),
        (("R01", "12", "--span", "0:5", "-c", "anouk", "--tree", "nope"), "no code tree 'nope'"),
        (("R01", "12", "-c", "anouk"), "either as --span"),
        (("R01", "12", "--quote", "zzzz qqqq wwww", "-c", "anouk"), "R01"),
        (("R01", "Q1 Wat is collectief werken?", "--span", "0:5", "-c", "anouk"), "category"),
    ],
)
def test_bad_coding_gives_the_same_message_and_changes_nothing(
    twins: Twins, arguments: tuple[str, ...], message: str
) -> None:
    before = dump(twins.direct)
    result = twins.both("code", *arguments)
    assert result.code != 0 and message in result.stderr, result
    assert dump(twins.direct) == before
    twins.same_tables()


def test_coding_a_span_again_is_refused_alike(twins: Twins) -> None:
    assert twins.both("code", "R01", "12", "--span", "0:10", "-c", "anouk").code == 0
    again = twins.both("code", "R01", "12", "--span", "0:10", "-c", "anouk")
    assert again.code == 1 and "already carries" in again.stderr
    twins.same_tables()


def test_a_direct_coding_undoes_and_redoes_as_any_other(twins: Twins, demo: Path) -> None:
    assert twins.both("code", "R01", "12", "--span", "0:10", "-c", "zed").code == 0
    assert twins.both("code", "R01", "2", "--span", "0:10", "-c", "zed").code == 0
    assert twins.orm_only("undo", "-c", "zed").code == 0
    twins.same_tables()
    assert twins.orm_only("undo", "-c", "zed").code == 0
    twins.same_tables()
    undone, original = dump(twins.direct, times=True), dump(demo, times=True)
    for table in ("quotations", "quotation_codes"):
        assert undone[table] == original[table]
    assert twins.orm_only("redo", "-c", "zed").code == 0
    assert twins.orm_only("redo", "-c", "zed").code == 0
    twins.same_tables()
    log = [json.loads(row[5]) for row in dump(twins.direct)["operations"][-6:]]
    assert [sorted(entry) for entry in log] == [["changes"]] * 2 + [["target"]] * 4


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        ("--format", "csv"),
        ("--format", "json"),
        ("--coder", "anouk"),
        ("--coder", "anouk", "--coder", "BART"),
        ("--by", "document", "--format", "csv"),
        ("--by", "team"),
        ("--by", "nope"),
        ("--coder", "nobody"),
        ("--final",),
        ("--tree", "nope"),
    ],
)
def test_counts_through_the_direct_path_are_the_orms(
    twins: Twins, arguments: tuple[str, ...]
) -> None:
    twins.both("code", "R01", "9", "18", "--span", "20:40", "-c", "anouk")  # two codes, one group
    # The final coding is chosen per document and code by services.final, on the ORM path.
    result = twins.both("counts", *arguments, direct=arguments != ("--final",))
    if arguments and arguments[-1] in ("nope", "nobody", "--final"):
        assert result.code == 1 and "error:" in result.stderr  # R01 has two coders
    else:
        assert result.code == 0 and "Total" in result.stdout, result
        assert "category" in result.stdout
    twins.same_tables()


def test_counts_written_to_a_file_are_the_same(twins: Twins) -> None:
    for fmt in ("md", "csv", "json"):
        out = twins.direct.with_name(f"counts.{fmt}")
        assert twins.both("counts", "--out", str(out)).code == 0
        assert twins.both("counts", "--format", fmt).stdout == out.read_text("utf-8")


def test_the_workbench_codes_through_the_direct_path_as_the_orm_does(
    tmp_path: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbench's `c` (`coding.code_passage` on its open project) takes the direct
    path on a SQLite project at the current schema, and leaves the same rows."""
    from workbench.services.coding import code_passage
    from workbench.services.project import open_project
    from workbench.storage.project import Project

    copies = {way: tmp_path / f"{way}.db" for way in ("direct", "orm")}
    for path in copies.values():
        shutil.copy(demo, path)
    steps = [(["12"], (0, 10)), (["2"], (0, 10)), (["9", "18"], (20, 40))]
    results = {}
    for way, path in copies.items():
        with open_project(str(path)) as project, monkeypatch.context() as patch:
            if way == "direct":
                patch.setattr(Project, "unit_of_work", _refused)
            results[way] = [
                code_passage(
                    project, "R01", codes, span=span, coder="anouk", direct=way == "direct"
                )
                for codes, span in steps
            ]
    assert [(r.codes, r.created, r.added) for r in results["direct"]] == [
        (r.codes, r.created, r.added) for r in results["orm"]
    ]
    assert dump(copies["direct"]) == dump(copies["orm"])


def test_workers_asking_at_once_share_one_direct_connection(tmp_path: Path, demo: Path) -> None:
    """The workbench's workers ask for the direct path from their threads: however many
    ask first at the same moment, there is one connection (its lock keeps one unit of
    work at a time), not one each that nothing closes."""
    import threading

    from workbench.storage.project import Project

    path = tmp_path / "p.db"
    shutil.copy(demo, path)
    project = Project(str(path))
    try:
        start = threading.Barrier(8)
        seen: list[object] = []

        def ask() -> None:
            start.wait()
            seen.append(project.direct())

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 8 and seen[0] is not None
        assert all(found is seen[0] for found in seen)
    finally:
        project.close()
