"""Coders working in one project at the same time: a shared setup, worker processes doing
a random mix of actions through the services, and the checks the concurrency tests make
afterwards (every action reported done is in the log, the log replays to the same state,
the counts equal a recount from the quotations)."""

from __future__ import annotations

import multiprocessing
import random
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.helpers import small_codebook, write
from workbench.domain.changes import ChangeSet
from workbench.domain.errors import WorkbenchError
from workbench.services import codebook, codebook_edits, coding, history, quotations
from workbench.services.counts import count_rows
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage import repositories as repo
from workbench.storage.changes import apply_changes
from workbench.storage.project import Project

SENTENCES = (
    "I: Hoe begint een week bij u in het wijkteam?",
    "R: Meestal met het overleg op maandag, dan verdelen we de nieuwe meldingen.",
    "I: En wie neemt dan contact op met de buurtvereniging?",
    "R: Dat wisselt. Soms ik, soms mijn collega van het buurthuis.",
    "I: Merkt u dat de caseload daarbij in de weg zit?",
    "R: Ja, zeker. Als je veertig gezinnen hebt, kom je niet aan collectief werk toe.",
    "R: Toch proberen we elke maand een bijeenkomst te houden met bewoners.",
    "I: Wat levert dat op?",
    "R: Mensen leren elkaar kennen, en vragen worden samen opgepakt in plaats van apart.",
)
EXTRA_CODES = ("Tijdsdruk", "Buurthuis", "Overleg", "Bewoners", "Samenwerking", "Meldingen")

# The actions of a worker and their weights in the random mix.
ACTIONS = (("code", 40), ("comment", 18), ("rename", 10), ("merge", 5), ("add", 7), ("undo", 20))


def coder_names(workers: int) -> list[str]:
    return [f"coder{i}" for i in range(1, workers + 1)]


def build(location: str, folder: Path, workers: int, documents: int = 6) -> None:
    """The same project every time: documents, the small tree plus a few codes, coders."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    paths = []
    for i in range(1, documents + 1):
        lines = [rng.choice(SENTENCES) for _ in range(14)]
        paths.append(write(folder / f"W{i:02}.txt", "\n".join(lines) + "\n"))
    with open_project(location) as project:
        import_transcripts(project, paths)
        codebook.load_codebook(project, small_codebook(folder))
        for name in EXTRA_CODES:
            codebook_edits.add_code(project, name, coder=None)
        with project.unit_of_work() as session:
            for name in coder_names(workers):
                repo.get_or_create_coder(session, name)


@dataclass
class Outcome:
    coder: str
    done: list[tuple[str, str]] = field(default_factory=list)  # (action, what) reported done
    refused: list[tuple[str, str]] = field(default_factory=list)  # (action, message)
    unexpected: list[str] = field(default_factory=list)  # tracebacks
    latencies: dict[str, list[float]] = field(default_factory=dict)


class _Worker:
    def __init__(self, project: Project, coder: str, seed: int) -> None:
        self.project = project
        self.coder = coder
        self.rng = random.Random(seed)
        self.mine: dict[int, str] = {}  # my quotations as I last saw them: id -> comment
        self.documents = [d.name for d in coding_documents(project)]
        self.lengths = {d.name: d.length for d in coding_documents(project)}
        self.counter = 0

    def codes(self) -> list[Any]:
        return [line.code for line in codebook.show_tree(self.project) if line.code.codable]

    def act(self, action: str) -> tuple[str, str]:
        """Do one action; returns the action actually done (a comment with no quotation of
        mine to comment on codes one instead, a merge with too few codes adds one) and the
        part of the log's summary that shows it was this action (for an undo, the id of
        the operation undone)."""
        self.counter += 1
        rng = self.rng
        if action == "code":
            document = rng.choice(self.documents)
            start = rng.randrange(0, self.lengths[document] - 40)
            end = start + rng.randrange(5, 40)
            code = rng.choice(self.codes())
            result = coding.code_passage(
                self.project,
                document,
                [str(code.number)],
                span=(start, end),
                coder=self.coder,
            )
            self.mine[result.quotation.id] = result.quotation.comment
            if result.created:
                return action, f"coded {document} {start}:{end} with {code.number} "
            return action, f" to quotation {result.quotation.id} in {document}"
        if action == "comment":
            if not self.mine:
                return self.act("code")
            quotation_id = rng.choice(sorted(self.mine))
            comment = f"{self.coder} opmerking {self.counter}"
            try:
                quotations.update_quotation(
                    self.project,
                    quotation_id,
                    coder=self.coder,
                    comment=comment,
                    expected={"comment": self.mine[quotation_id]},
                )
            except WorkbenchError:
                self.mine.pop(quotation_id, None)  # look again next time
                raise
            self.mine[quotation_id] = comment
            return action, f"the comment of quotation {quotation_id}"
        if action == "rename":
            code = rng.choice(self.codes())
            new = f"{code.name.split(' ~')[0]} ~{self.coder}.{self.counter}"
            codebook_edits.rename_code(
                self.project, str(code.number), new, coder=self.coder, expected={"name": code.name}
            )
            return action, f" to {new!r}"
        if action == "merge":
            leaves = self.codes()
            if len(leaves) < 6:
                return self.act("add")
            source, target = rng.sample(leaves, 2)
            codebook_edits.merge_codes(
                self.project, [str(source.number)], str(target.number), coder=self.coder
            )
            return action, "merged "
        if action == "add":
            # Names from one small pool for all coders: a name freed by a merge is taken
            # again, so that undoing the merge meets a code of the same name.
            name = f"Nieuw {rng.randrange(8)}"
            added = codebook_edits.add_code(self.project, name, coder=self.coder)
            return action, f"added code {added.name!r}"
        assert action == "undo"
        step = history.undo(self.project, self.coder)
        return action, f"#{step.operation_id}"


def coding_documents(project: Project) -> list[Any]:
    from workbench.services.documents import list_documents

    return list_documents(project)


def run_worker(location: str, coder: str, seed: int, operations: int, results: Any) -> None:
    """One coder's session: `operations` random actions, each reported done or refused."""
    outcome = Outcome(coder)
    try:
        with open_project(location) as project:
            worker = _Worker(project, coder, seed)
            names, weights = zip(*ACTIONS, strict=True)
            for _ in range(operations):
                action = worker.rng.choices(names, weights)[0]
                started = time.perf_counter()
                try:
                    action, what = worker.act(action)
                except WorkbenchError as error:
                    outcome.refused.append((action, str(error)))
                except Exception:
                    outcome.unexpected.append(traceback.format_exc())
                else:
                    outcome.done.append((action, what))
                    outcome.latencies.setdefault(action, []).append(time.perf_counter() - started)
    except Exception:
        outcome.unexpected.append(traceback.format_exc())
    results.put(outcome)


def run_workers(location: str, workers: int, operations: int, timeout: float) -> list[Outcome]:
    """Start the workers at once (separate processes) and collect what each reports."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=run_worker, args=(location, name, seed, operations, results))
        for seed, name in enumerate(coder_names(workers), start=1)
    ]
    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    outcomes = [results.get(timeout=max(1.0, deadline - time.monotonic())) for _ in processes]
    for process in processes:
        process.join(timeout=10)
    return sorted(outcomes, key=lambda o: o.coder)


# --- the checks afterwards ----------------------------------------------------------------

_KINDS = {
    "code": {"quotation.create", "quotation.link"},
    "comment": {"quotation.update"},
    "rename": {"code.rename"},
    "merge": {"code.merge"},
    "add": {"code.add"},
    "undo": {"undo"},
}


def logged_actions(project: Project, coder: str) -> list[tuple[str, str]]:
    """One coder's logged operations in order: (kind, summary), an undo's summary being
    `#` and the id of the operation it undid."""
    with project.unit_of_work() as session:
        return [
            (
                operation.kind,
                f"#{operation.detail['target']}"
                if operation.kind in (history.UNDO, history.REDO)
                else operation.summary,
            )
            for operation in reversed(repo.list_operations(session))
            if operation.coder == coder
        ]


def log_mismatches(outcome: Outcome, logged: list[tuple[str, str]]) -> list[str]:
    """Where the actions a worker reported done and its operations in the log part: each
    reported action must be the logged operation at the same place, nothing more or less."""
    pairs = enumerate(zip(outcome.done, logged, strict=False))
    found = [
        f"{i}: reported {action} {what!r}, logged {kind} {summary!r}"
        for i, ((action, what), (kind, summary)) in pairs
        if kind not in _KINDS[action] or what not in summary
    ]
    if len(logged) != len(outcome.done):
        found.append(f"{len(outcome.done)} actions reported done, {len(logged)} logged")
    return found


def state(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every code, quotation and coding, as plain sorted rows."""
    queries = {
        "codes": "SELECT id, tree_id, parent_id, name, number, definition, codable FROM codes",
        "quotations": 'SELECT id, document_id, start, "end", coder_id, comment FROM quotations',
        "codings": "SELECT quotation_id, code_id FROM quotation_codes",
    }
    with project.unit_of_work() as session:
        return {
            name: sorted(tuple(row) for row in session.execute(text(sql)))
            for name, sql in queries.items()
        }


def replay(project: Project, into: Project) -> None:
    """Apply the change sets of `project`'s log after its setup to `into` (built by the same
    setup), in log order: an undo applies its target's inverse, a redo the target again."""
    with project.unit_of_work() as session:
        operations = list(reversed(repo.list_operations(session)))
    by_id = {operation.id: operation for operation in operations}
    for operation in operations:
        if operation.coder is None:
            continue  # the setup, done the same way in `into`
        if operation.kind in (history.UNDO, history.REDO):
            recorded = ChangeSet.from_json(by_id[operation.detail["target"]].detail["changes"])
            changes = recorded.inverse() if operation.kind == history.UNDO else recorded
        elif "changes" in operation.detail:
            changes = ChangeSet.from_json(operation.detail["changes"])
        else:
            continue
        with into.unit_of_work() as session:
            apply_changes(session, changes)


def counts_and_recount(project: Project) -> tuple[dict[str, int], dict[str, int]]:
    """Citations per code as `counts` gives them, and recounted from the codings in SQL."""
    table = count_rows(project)
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    counted = {
        str(row["code"]).strip(): int(str(row["citations"]))
        for row in rows
        if row["type"] == "code"
    }
    with project.unit_of_work() as session:
        recount = {
            name: n
            for name, n in session.execute(
                text(
                    "SELECT c.name, COUNT(DISTINCT qc.quotation_id) FROM codes c "
                    "LEFT JOIN quotation_codes qc ON qc.code_id = c.id "
                    "WHERE c.codable GROUP BY c.name"
                )
            )
        }
    return counted, recount


def shared_numbers(project: Project) -> list[tuple[Any, ...]]:
    """(tree, number, codes) wherever two codes of one tree carry the same number."""
    with project.unit_of_work() as session:
        return [
            tuple(row)
            for row in session.execute(
                text(
                    "SELECT tree_id, number, COUNT(*) FROM codes WHERE number IS NOT NULL "
                    "GROUP BY tree_id, number HAVING COUNT(*) > 1"
                )
            )
        ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
