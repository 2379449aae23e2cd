"""Suggested codes for passages nobody has coded yet, learnt from the project's own
coded quotations (a chosen coder's, the final coding, or everyone's), on this machine.

Reading is one unit of work (`training_set`); training (`trained`) touches no database
and is kept until the coding it learns from changes (the coded texts and their codes
are the key: a change elsewhere, a memo or an attribute, keeps the model).
Suggestions are only ever shown: coding a passage goes through `coding.code_passage`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from workbench.domain.codetree import resolve_code
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code
from workbench.domain.passages import Layout
from workbench.services.project import require_codable
from workbench.services.scope import Scope, resolve_scope
from workbench.storage import repositories as repo
from workbench.storage.project import Project
from workbench.suggest import UNITS, Example, uncoded_passages

if TYPE_CHECKING:
    from workbench.suggest import Suggester

CACHED_MODELS = 4  # trained models kept (say, one per choice of coders)


@dataclass(frozen=True, slots=True)
class TrainingSet:
    examples: tuple[Example, ...]  # also the key of the kept model: what it depends on
    codes: dict[int, Code]  # the tree's codable codes by id
    whose: str  # whose coding it learns from, for messages


@dataclass(frozen=True, slots=True)
class CodeScore:
    code: Code
    score: float


@dataclass(frozen=True, slots=True)
class PassageSuggestions:
    document_id: int
    document: str
    paragraph: int
    start: int
    end: int
    text: str
    codes: tuple[CodeScore, ...]  # best first


def _whose(coders: Sequence[str], final: bool) -> str:
    if final:
        return "the final coding"
    return ", ".join(coders) if coders else "every coder"


def _training(session: Session, scope: Scope, coders: Sequence[str], final: bool) -> TrainingSet:
    codes = {code.id: code for code in scope.chosen}
    codings = repo.codings_by_position(session, list(codes), coder_ids=scope.coder_ids)
    if scope.per_document:
        codings = [coding for coding in codings if scope.keeps(coding[1], coding[6], coding[4])]
    whose = _whose(coders, final)
    if not codings:
        raise InvalidInput(
            f"no coded quotations of {whose} to learn from yet: code some passages first "
            "(c in the workbench, or `workbench code`), then ask for suggestions"
        )
    used = sorted({coding[1] for coding in codings})
    texts = repo.document_texts(session, used)
    turns = repo.turns_by_document(session, used)
    layouts = {doc: Layout(texts[doc], turns.get(doc, ())) for doc in used}
    examples = tuple(
        Example(layouts[doc].quoted(start, end), code_id)
        for _, doc, start, end, _, _, code_id in codings
    )
    return TrainingSet(examples, codes, whose)


def training_set(
    project: Project, *, coders: Sequence[str] = (), final: bool = False, tree: str | None = None
) -> TrainingSet:
    """The coded quotations of the tree's codes a model learns from; refuses with a
    message when there are none."""
    with project.unit_of_work() as session:
        scope = resolve_scope(session, coders=coders, final=final, tree=tree)
        return _training(session, scope, coders, final)


_MODELS: OrderedDict[tuple[Example, ...], Suggester] = OrderedDict()
_MODELS_LOCK = threading.Lock()  # the workbench asks from worker threads


def trained(training: TrainingSet) -> Suggester:
    """The model of this training set: trained once, then kept while the coded quotations
    it learns from (their texts and codes) stay the same, whatever else changes."""
    from workbench.suggest import train

    with _MODELS_LOCK:
        found = _MODELS.get(training.examples)
        if found is not None:
            _MODELS.move_to_end(training.examples)
            return found
    found = train(training.examples)  # outside the lock: two sets may train at once
    with _MODELS_LOCK:
        _MODELS[training.examples] = found
        while len(_MODELS) > CACHED_MODELS:
            _MODELS.popitem(last=False)
    return found


def _scored(training: TrainingSet, found: Sequence[tuple[int, float]]) -> tuple[CodeScore, ...]:
    return tuple(CodeScore(training.codes[code], score) for code, score in found)


def _uncoded(
    session: Session, scope: Scope, document_ids: Sequence[int], unit: str
) -> list[PassageSuggestions]:
    """The documents' passages that the coders whose coding is learnt from left uncoded
    (with any code of the tree), by document name and position, no codes yet."""
    if unit not in UNITS:
        raise InvalidInput(f"unit {unit!r}: choose one of {', '.join(UNITS)}")
    texts = repo.document_texts(session, document_ids)
    turns = repo.turns_by_document(session, document_ids)
    coded: dict[int, list[tuple[int, int]]] = {}
    for _, doc, start, end, _, _, _ in repo.codings_by_position(
        session,
        [code.id for code in scope.codes],
        document_ids=list(document_ids),
        coder_ids=scope.coder_ids,
    ):
        coded.setdefault(doc, []).append((start, end))
    found = []
    for doc in sorted(texts, key=lambda d: scope.document_names[d]):
        layout = Layout(texts[doc], turns.get(doc, ()))
        for passage in uncoded_passages(texts[doc], layout.turns, coded.get(doc, ()), unit=unit):
            found.append(
                PassageSuggestions(
                    doc,
                    scope.document_names[doc],
                    layout.paragraph(passage.start),
                    passage.start,
                    passage.end,
                    passage.text,
                    (),
                )
            )
    return found


def _with_codes(passage: PassageSuggestions, codes: tuple[CodeScore, ...]) -> PassageSuggestions:
    return replace(passage, codes=codes)


def suggest_document(
    project: Project,
    document: str,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    top: int = 3,
    unit: str = "sentence",
    tree: str | None = None,
) -> list[PassageSuggestions]:
    """The document's uncoded passages in text order, each with up to `top` codes."""
    with project.unit_of_work() as session:
        scope = resolve_scope(session, coders=coders, final=final, tree=tree)
        training = _training(session, scope, coders, final)
        passages = _uncoded(session, scope, [repo.find_document_id(session, document)], unit)
    suggested = trained(training).suggest([p.text for p in passages], top)
    return [
        _with_codes(passage, _scored(training, [(s.code_id, s.score) for s in found]))
        for passage, found in zip(passages, suggested, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Candidates:
    """What "more like this code" ranks: read in one unit of work, ranked outside it."""

    training: TrainingSet
    target: Code
    passages: tuple[PassageSuggestions, ...]  # every uncoded passage, no codes yet


def more_like_candidates(
    project: Project,
    code: str,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    unit: str = "sentence",
    tree: str | None = None,
) -> Candidates:
    """The code, what the model learns from, and the uncoded passages of every document;
    refuses when the code has no quotations to compare with."""
    with project.unit_of_work() as session:
        scope = resolve_scope(session, coders=coders, final=final, tree=tree)
        target = require_codable(resolve_code(scope.codes, code))
        training = _training(session, scope, coders, final)
        if not any(example.code_id == target.id for example in training.examples):
            raise InvalidInput(
                f"{target.label!r} has no quotations of {training.whose} yet to look for "
                "more like them: code a passage with it first"
            )
        passages = _uncoded(session, scope, sorted(scope.document_names), unit)
    return Candidates(training, target, tuple(passages))


def rank_candidates(candidates: Candidates, limit: int = 20) -> list[PassageSuggestions]:
    """The passages most like the code's quotations, best first (at most `limit`; none
    that share nothing with them). Touches no database."""
    scores = trained(candidates.training).rank(
        candidates.target.id, [p.text for p in candidates.passages]
    )
    ranked = sorted(
        (
            (score, order, passage)
            for order, (score, passage) in enumerate(zip(scores, candidates.passages, strict=True))
            if score > 0
        ),
        key=lambda item: (-item[0], item[1]),
    )[:limit]
    return [
        _with_codes(passage, (CodeScore(candidates.target, score),)) for score, _, passage in ranked
    ]


def more_like(
    project: Project,
    code: str,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    limit: int = 20,
    unit: str = "sentence",
    tree: str | None = None,
) -> list[PassageSuggestions]:
    """Uncoded passages across the documents that look most like the code's quotations,
    best first (`workbench suggest --code`)."""
    found = more_like_candidates(project, code, coders=coders, final=final, unit=unit, tree=tree)
    return rank_candidates(found, limit)


def suggest_text(training: TrainingSet, text: str, top: int = 3) -> list[CodeScore]:
    """Up to `top` codes for one passage's text (the workbench's code picker)."""
    found = trained(training).suggest([text], top)[0]
    return list(_scored(training, [(s.code_id, s.score) for s in found]))
