"""Deciding many consensus passages from a file, and where a consensus stands per code."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.changes import PassageRecord
from workbench.domain.codetree import tree_order
from workbench.domain.errors import InvalidInput, WorkbenchError
from workbench.services.consensus import (
    AGREED,
    CONSENSUS,
    Decided,
    actor_id,
    check_decision,
    decide_in,
)
from workbench.services.project import require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project


def decide_many(
    project: Project,
    decisions: Sequence[tuple[str, str]],
    *,
    by: str | None = None,
    source: str = "the plan",
) -> list[Decided]:
    """All or nothing: every (id, decision) pair is checked first, every bad one is named
    (as `source`, row N), and then each decision is one operation in the log."""
    errors: list[str] = []
    with project.unit_of_work() as session:
        checked: list[tuple[PassageRecord, str]] = []
        seen: Counter[int] = Counter()
        for row, (text_id, text_choice) in enumerate(decisions, start=2):
            try:
                try:
                    passage_id = int(text_id)
                except ValueError:
                    raise InvalidInput(f"id {text_id!r} is not a passage number") from None
                record = repo.passage_record(session, passage_id)
                choice = text_choice.strip().lower()
                check_decision(record, choice)
                seen[passage_id] += 1
                if seen[passage_id] > 1:
                    raise InvalidInput(f"passage {passage_id} is decided twice in the file")
                checked.append((record, choice))
            except WorkbenchError as error:
                errors.append(f"{source}, row {row}: {error}")
        if errors:
            raise InvalidInput(
                f"{source}: {len(errors)} bad row(s), nothing decided:\n  " + "\n  ".join(errors)
            )
        actor = actor_id(session, by)
        return [
            decide_in(session, repo.passage_record(session, record.id or 0), choice, actor)
            for record, choice in checked
        ]


def read_plan(path: Path) -> list[tuple[str, str]]:
    """(id, decision) rows of a decisions CSV with the columns id and decision."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in reader.fieldnames or ()]
            if "id" not in header or "decision" not in header:
                raise InvalidInput(
                    f"{path.name}: needs the columns id and decision; found: "
                    + (", ".join(header) or "nothing")
                )
            reader.fieldnames = header
            return [((row["id"] or "").strip(), row["decision"] or "") for row in reader]
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text; save it as CSV UTF-8") from None


@dataclass(frozen=True, slots=True)
class CodeStatus:
    code: str
    agreed: int
    decided: int
    undecided: int


def status(
    project: Project, *, consensus: str = CONSENSUS, tree: str | None = None
) -> list[CodeStatus]:
    """Per code (in tree order): passages agreed, decided and still to decide."""
    with project.unit_of_work() as session:
        into = repo.find_coder(session, consensus)
        records = repo.passage_records(session, into.id)
        codes = repo.tree_codes(session, require_tree(session, tree).id)
    tally: dict[int, Counter[str]] = defaultdict(Counter)
    for record in records:
        kind = (
            "agreed"
            if record.decision == AGREED
            else "undecided"
            if record.decision is None
            else "decided"
        )
        tally[record.code_id][kind] += 1
    return [
        CodeStatus(
            code.label,
            tally[code.id]["agreed"],
            tally[code.id]["decided"],
            tally[code.id]["undecided"],
        )
        for _, code in tree_order(codes)
        if code.id in tally
    ]
