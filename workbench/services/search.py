"""Search across documents (keyword in context), and auto-coding every hit as one
undoable operation (ATLAS.ti's auto-coding)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import InvalidInput
from workbench.domain.passages import Layout
from workbench.domain.search import compile_finder, in_context
from workbench.services.history import commit_change
from workbench.services.project import coder_for, require_codable
from workbench.services.scope import resolve_scope
from workbench.storage import repositories as repo
from workbench.storage.project import Project

UNITS = ("hit", "sentence", "paragraph", "turn")


@dataclass(frozen=True, slots=True)
class Hit:
    document_id: int
    document: str
    paragraph: int
    start: int
    end: int
    left: str
    match: str
    right: str
    # Whether white space separates the hit from its context in the text (the context
    # is stripped), so that a screen can show the line as it reads: "buurt|huis".
    space_before: bool = False
    space_after: bool = False

    def in_line(self) -> tuple[str, str, str]:
        """(left, hit, right) to print side by side, spaced as in the text."""
        before = " " if self.space_before and self.left else ""
        after = " " if self.space_after and self.right else ""
        return self.left + before, self.match, after + self.right


@dataclass(frozen=True, slots=True)
class SearchOptions:
    regex: bool = False
    whole_word: bool = False
    ignore_case: bool = False
    documents: Sequence[str] = ()
    where: Sequence[str] = ()
    context: int = 60


def _search(
    project: Project, pattern: str, options: SearchOptions, *, unit: str = "hit"
) -> tuple[list[Hit], dict[int, Layout]]:
    """The hits and each document's layout. For the turn unit the layouts know the speaker
    turns (reading them costs more than the search), for the sentence unit the speakers'
    labels, which a sentence leaves out, as `s` does in the workbench."""
    finder = compile_finder(
        pattern, regex=options.regex, whole_word=options.whole_word, ignore_case=options.ignore_case
    )
    with project.unit_of_work() as session:
        scope = resolve_scope(session, documents=options.documents, where=options.where)
        ids = scope.document_ids if scope.document_ids is not None else list(scope.document_names)
        texts = repo.document_texts(session, ids)
        by_document = repo.turns_by_document(session, ids) if unit == "turn" else {}
        speakers = repo.speakers_by_document(session, ids) if unit == "sentence" else None
    hits: list[Hit] = []
    layouts: dict[int, Layout] = {}
    for document_id in sorted(texts, key=lambda d: scope.document_names[d]):
        text = texts[document_id]
        found = list(finder.spans(text))
        if not found:
            continue
        labels = None if speakers is None else speakers.get(document_id, set())
        layout = layouts[document_id] = Layout(text, by_document.get(document_id, ()), labels)
        for start, end in found:
            left, middle, right = in_context(text, start, end, options.context)
            hits.append(
                Hit(
                    document_id,
                    scope.document_names[document_id],
                    layout.paragraph(start),
                    start,
                    end,
                    left,
                    middle,
                    right,
                    start > 0 and text[start - 1].isspace(),
                    end < len(text) and text[end].isspace(),
                )
            )
    return hits, layouts


def search(project: Project, pattern: str, options: SearchOptions | None = None) -> list[Hit]:
    """Every hit of the pattern in the documents, in document and text order."""
    return _search(project, pattern, options or SearchOptions())[0]


@dataclass(frozen=True, slots=True)
class AutoCoding:
    hits: int
    quotations: int  # new quotations
    added_to: int  # existing quotations of the coder's that gained the code
    already: int  # spans the coder had coded with the code already


def _span(layout: Layout, hit: Hit, unit: str) -> tuple[int, int]:
    if unit == "hit":
        return hit.start, hit.end
    if unit == "sentence":
        return layout.sentence_span(hit.start, hit.end)
    if unit == "paragraph":
        start = layout.paragraph_span(hit.start)[0]
        return start, max(layout.paragraph_span(max(hit.end - 1, hit.start))[1], hit.end)
    turn = layout.turn(hit.start)
    if turn is None:
        raise InvalidInput(
            f"{hit.document}, par. {hit.paragraph}: the hit at {hit.start} is in no speaker "
            "turn; choose --unit hit, sentence or paragraph"
        )
    return turn.start, max(turn.end, hit.end)


def _joined(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The passages to code, in the hits' order: hits in one sentence (paragraph, turn)
    give it once, and units that overlap (a hit running on into the next sentence, and a
    hit in that sentence) are one passage, not two quotations over the same words."""
    joined: list[tuple[int, int, int]] = []
    for document, start, end in spans:  # in document order, and by start within one
        if joined and joined[-1][0] == document and start < joined[-1][2]:
            last = joined[-1]
            joined[-1] = (document, min(last[1], start), max(last[2], end))
        else:
            joined.append((document, start, end))
    return joined


def auto_code(
    project: Project,
    pattern: str,
    code: str,
    *,
    coder: str | None,
    unit: str = "hit",
    options: SearchOptions | None = None,
    tree: str | None = None,
) -> AutoCoding:
    """Code every hit (or its sentence, paragraph or turn) with `code` as one operation.
    A span the coder has quoted already gains the code instead of a second quotation;
    refuses when nothing would change."""
    if unit not in UNITS:
        raise InvalidInput(f"unit {unit!r}: choose one of {', '.join(UNITS)}")
    hits, layouts = _search(project, pattern, options or SearchOptions(), unit=unit)
    if not hits:
        raise InvalidInput(f"no hits for {pattern!r}; nothing was coded")
    spans = _joined([(h.document_id, *_span(layouts[h.document_id], h, unit)) for h in hits])
    with project.unit_of_work() as session:
        scope = resolve_scope(session, tree=tree)
        target = require_codable(resolve_code(scope.codes, code))
        who = coder_for(session, coder)
        existing = repo.coder_spans(session, who.id, [d for d, _, _ in spans])
        created = repo.now().isoformat()
        new: list[QuotationRecord] = []
        codings: list[tuple[int, int]] = []
        already = 0
        for key in spans:
            present = existing.get(key)
            if present is None:
                new.append(QuotationRecord(None, *key, who.id, "", created, (target.id,)))
            elif target.id in present.code_ids:
                already += 1
            else:
                assert present.id is not None
                codings.append((present.id, target.id))
        if not new and not codings:
            raise InvalidInput(
                f"every one of the {len(spans)} passage(s) is coded with {target.label!r} by "
                f"{who.name} already; nothing was coded"
            )
        commit_change(
            session,
            who.id,
            "search.autocode",
            f"auto-coded {len(new) + len(codings)} {unit}(s) of {pattern!r} with {target.label}",
            ChangeSet(added_quotations=tuple(new), added_codings=tuple(codings)),
        )
    return AutoCoding(len(hits), len(new), len(codings), already)
