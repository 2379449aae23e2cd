"""Retrieval: the quotations of codes, documents and coders, with their sources, as the
appendix of a report quotes them (ATLAS.ti's quotation manager, MAXQDA's retrieved
segments), and the codings export that `codings import` reads back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.passages import Layout
from workbench.services.scope import resolve_scope
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One quotation under one of its codes."""

    quotation_id: int
    document: str
    paragraph: int
    speaker: str
    start: int
    end: int
    code_number: int | None
    code: str
    coder: str
    comment: str
    attributes: dict[str, str]
    text: str

    @property
    def code_label(self) -> str:
        return f"{self.code_number} {self.code}" if self.code_number is not None else self.code


def retrieve(
    project: Project,
    *,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    coders: Sequence[str] = (),
    final: bool = False,
    where: Sequence[str] = (),
    contains: str | None = None,
    tree: str | None = None,
    sub_codes: bool = True,
) -> list[Retrieved]:
    """One row per quotation and code, in tree order of the codes, then by document and
    position. `contains` keeps quotations whose quoted text holds it (ignoring case).
    A code brings the codes under it, unless `sub_codes` is False (a cell of the
    code-document table counts the code's own quotations); a category always does."""
    with project.unit_of_work() as session:
        scope = resolve_scope(
            session,
            codes=codes,
            documents=documents,
            where=where,
            coders=coders,
            final=final,
            tree=tree,
            sub_codes=sub_codes,
        )
        codings = repo.codings_by_position(
            session,
            [c.id for c in scope.chosen],
            document_ids=scope.document_ids,
            coder_ids=scope.coder_ids,
        )
        if scope.per_document:
            codings = [coding for coding in codings if scope.keeps(coding[1], coding[6], coding[4])]
        used = {coding[1] for coding in codings}
        texts = repo.document_texts(session, used)
        # Only the turn holding each quotation's start (its speaker), and each document's
        # speaker labels (to leave out of the quoted text): not every turn.
        turn_of = repo.quotation_turns(session, {coding[0] for coding in codings})
        speakers = repo.speakers_by_document(session, used)
    turns: dict[int, set[tuple[int, int, str]]] = {doc: set() for doc in used}
    for coding in codings:
        if coding[0] in turn_of:
            turns[coding[1]].add(turn_of[coding[0]])
    layouts = {
        doc: Layout(texts[doc], sorted(turns[doc]), speakers.get(doc, set())) for doc in used
    }
    order = {code.id: index for index, code in enumerate(scope.chosen)}
    by_id = {code.id: code for code in scope.chosen}
    needle = contains.casefold() if contains else None
    rows: list[Retrieved] = []
    for quotation_id, doc, start, end, coder_id, comment, code_id in sorted(
        codings,
        key=lambda coding: (
            order[coding[6]],
            scope.document_names[coding[1]],
            coding[2],
            coding[3],
        ),
    ):
        layout = layouts[doc]
        quoted = layout.quoted(start, end)
        if needle is not None and needle not in quoted.casefold():
            continue
        code = by_id[code_id]
        rows.append(
            Retrieved(
                quotation_id,
                scope.document_names[doc],
                layout.paragraph(start),
                layout.speaker(start),
                start,
                end,
                code.number,
                code.name,
                scope.coder_names[coder_id],
                comment,
                scope.attributes.get(doc, {}),
                quoted,
            )
        )
    return rows


FIXED_COLUMNS = (
    "quotation_id",
    "document",
    "paragraph",
    "speaker",
    "start",
    "end",
    "code_number",
    "code",
    "coder",
    "comment",
)


def retrieval_table(rows: Sequence[Retrieved]) -> tuple[list[dict[str, object]], list[str]]:
    """Plain rows and column names: the fixed columns, each attribute, then the text.
    An attribute named like a fixed column is prefixed with 'attribute:'."""
    names = sorted({name for row in rows for name in row.attributes})
    columns = {n: (f"attribute:{n}" if n in (*FIXED_COLUMNS, "text") else n) for n in names}
    table = [
        {
            **{name: getattr(row, name) for name in FIXED_COLUMNS},
            **{columns[n]: row.attributes.get(n, "") for n in names},
            "text": row.text,
        }
        for row in rows
    ]
    return table, [*FIXED_COLUMNS, *columns.values(), "text"]


def appendix(rows: Sequence[Retrieved]) -> str:
    """Markdown that reads like a report's appendix: per code a heading, then each
    quotation as a block quote with its source (`R07, par. 12, Oost, Wmo`)."""
    several_coders = len({row.coder for row in rows}) > 1
    counts = Counter(row.code_label for row in rows)
    lines: list[str] = []
    current: str | None = None
    for row in rows:
        if row.code_label != current:
            current = row.code_label
            lines += [f"## {current}", "", f"{counts[current]} quotation(s)", ""]
        lines += [f"> {line}" if line else ">" for line in row.text.split("\n")]
        source = [row.document, f"par. {row.paragraph}"]
        source += [row.attributes[n] for n in sorted(row.attributes) if row.attributes[n]]
        who = [row.speaker] if row.speaker else []
        if several_coders:
            who.append(f"coded by {row.coder}")
        suffix = f" ({'; '.join(who)})" if who else ""
        lines += [">", f"> — {', '.join(source)}{suffix}", ""]
        if row.comment:
            lines += [f"*Comment:* {row.comment}", ""]
    if not lines:
        return "No quotations match.\n"
    return "\n".join(lines).rstrip("\n") + "\n"
