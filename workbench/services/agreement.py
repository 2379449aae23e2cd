"""Intercoder agreement between two or more coders, per code and overall.

The figures come from workbench.stats (pure functions); this module chooses the
documents, codes and coders, reads their spans, and pools the counts:
- unit "character": every character of a document is a unit, coded or not; a coder's
  spans of one code are merged first. Per code, character counts are added up over the
  chosen documents; the overall row adds them up over all codes too.
- unit "quotation": quotations of one code match when they overlap by at least the
  threshold (of the longer one); matched and unmatched are added up over documents.
- unit "document": does each coder use the code in the document at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.codetree import resolve_code, tree_order
from workbench.domain.errors import InvalidInput, WorkbenchError
from workbench.domain.model import Code, FinalCoding
from workbench.domain.words import heading
from workbench.services.final import FINAL, final_coders
from workbench.services.project import require_tree
from workbench.stats import agreement as stats
from workbench.stats.intervals import Span
from workbench.storage import repositories as repo
from workbench.storage.project import Project

UNITS = ("character", "quotation", "document")
FINAL_ID = -1  # stands for the final coding among the coders compared


SpansOf = dict[int, dict[int, list[list[Span]]]]  # code -> document -> per coder
Row = dict[str, Any]


@dataclass
class AgreementTable:
    """Rows in tree order, then the overall row; each row a dict of plain values."""

    unit: str
    coders: tuple[str, ...]
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    documents: tuple[str, ...] = ()
    # coder -> the chosen documents in which that coder has no quotation at all: their
    # figures there compare coding with no coding, not two codings
    documents_without_coding: dict[str, list[str]] = field(default_factory=dict)

    @property
    def headings(self) -> list[str]:
        """The columns in plain words (see `heading`)."""
        return [heading(column) for column in self.columns]

    @property
    def measure(self) -> str:
        """The column of the figure the overall row is judged by (kappa where defined)."""
        return next(c for c in ("cohen_kappa", "fleiss_kappa", "agreement") if c in self.columns)


@dataclass(frozen=True, slots=True)
class VersusConsensus:
    """One coder's agreement with the consensus coder, over all codes pooled."""

    coder: str
    measure: str  # in plain words: "Cohen's kappa"
    value: float | None
    reason: str  # why the value is undefined, if it is


def _value(figure: stats.Figure) -> float | None:
    return figure.value  # full precision: rounding is for the screen and markdown


def _notes(**figures: stats.Figure) -> str:
    return "; ".join(f"{name}: {f.reason}" for name, f in figures.items() if not f.defined)


def agreement(
    project: Project,
    coders: Sequence[str],
    *,
    documents: Sequence[str] = (),
    codes: Sequence[str] = (),
    unit: str = "character",
    threshold: float = 0.9,
    tree: str | None = None,
) -> AgreementTable:
    if unit not in UNITS:
        raise InvalidInput(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    names = tuple(dict.fromkeys(name.strip() for name in coders))
    if len(names) < 2:
        raise InvalidInput("agreement needs at least two different coders (--coder A --coder B)")
    if unit != "character" and len(names) != 2:
        raise InvalidInput(f"the {unit} unit compares two coders; give exactly two")
    if not 0 < threshold <= 1:
        raise InvalidInput("the threshold is a share of the longer quotation: 0 < t <= 1")
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        all_codes = repo.tree_codes(session, target.id)
        chosen = (
            [resolve_code(all_codes, reference) for reference in codes]
            if codes
            else [code for _, code in tree_order(all_codes) if code.codable]
        )
        final = FINAL in (name.casefold() for name in names)
        coder_ids = [
            FINAL_ID if name.casefold() == FINAL else repo.find_coder(session, name).id
            for name in names
        ]
        names = tuple(
            FINAL if i == FINAL_ID else repo.coder_names_by_id(session)[i] for i in coder_ids
        )
        if len(set(coder_ids)) < len(coder_ids):
            raise InvalidInput("agreement needs at least two different coders")
        lengths = repo.document_lengths(session)
        real = [i for i in coder_ids if i != FINAL_ID]
        if documents:
            document_ids = [repo.find_document_id(session, reference) for reference in documents]
            final_map = final_coders(session, only=document_ids) if final else FinalCoding()
        else:
            # By default, the documents that every one of these coders has coded.
            document_ids = repo.documents_coded_by_all(session, real) if real else sorted(lengths)
            final_map = final_coders(session, only=document_ids) if final else FinalCoding()
            if final:
                document_ids = [d for d in document_ids if final_map.covers(d)]
            if not document_ids:
                raise InvalidInput(
                    f"{', '.join(names)} have not coded any document in common; "
                    "name the documents to compare with --document"
                )
        code_ids = [c.id for c in chosen]
        spans = repo.coded_spans(session, code_ids, real, document_ids)
        if final:
            spans += [
                (code, document, FINAL_ID, start, end)
                for code, document, coder, start, end in repo.coded_spans(
                    session, code_ids, sorted(final_map.coder_ids()), document_ids
                )
                if final_map.keeps(document, code, coder)
            ]
        document_names = repo.document_names_by_id(session)
        coded = repo.coders_by_document(session)
    without: dict[str, list[str]] = {}
    for name, coder_id in zip(names, coder_ids, strict=True):
        missing = [
            document_names[d]
            for d in document_ids
            if not (final_map.coders_of(d) if coder_id == FINAL_ID else {coder_id})
            & coded.get(d, set())
        ]
        if missing:
            without[name] = missing
    # spans_of[code][document][coder index] = the coder's quotations of the code there
    spans_of: SpansOf = defaultdict(lambda: defaultdict(lambda: [[] for _ in names]))
    position = {coder_id: index for index, coder_id in enumerate(coder_ids)}
    for code_id, document_id, coder_id, start, end in spans:
        spans_of[code_id][document_id][position[coder_id]].append((start, end))
    build = {"character": _characters, "quotation": _quotations, "document": _documents}[unit]
    table = build(names, chosen, document_ids, lengths, spans_of, threshold)
    table.documents = tuple(document_names[d] for d in document_ids)
    table.documents_without_coding = without
    return table


def _characters(
    names: tuple[str, ...],
    chosen: Sequence[Code],
    document_ids: Sequence[int],
    lengths: dict[int, int],
    spans_of: SpansOf,
    _threshold: float,
) -> AgreementTable:
    two = len(names) == 2
    if two:
        a, b = names
        columns = [
            "nr",
            "code",
            "both",
            f"only_{a}",
            f"only_{b}",
            "neither",
            "percent_agreement",
            "cohen_kappa",
            "krippendorff_alpha",
            "holsti",
            "note",
        ]
    else:
        columns = [
            "nr",
            "code",
            *[f"coded_by_{k}" for k in range(len(names) + 1)],
            "percent_agreement",
            "fleiss_kappa",
            "krippendorff_alpha",
            "note",
        ]
    table = AgreementTable("character", names, columns)
    overall_pairs = stats.CharacterCounts(0, 0, 0, 0)
    overall_profile = stats.Profile(len(names), (0,) * (len(names) + 1))
    for code in chosen:
        pairs = stats.CharacterCounts(0, 0, 0, 0)
        pooled = stats.Profile(len(names), (0,) * (len(names) + 1))
        for document_id in document_ids:
            per_coder = spans_of[code.id].get(document_id) or [[] for _ in names]
            length = lengths[document_id]
            pooled = pooled + stats.profile(length, per_coder)
            if two:
                pairs = pairs + stats.character_counts(length, per_coder[0], per_coder[1])
        overall_profile = overall_profile + pooled
        overall_pairs = overall_pairs + pairs
        table.rows.append(_character_row(code.number, code.name, names, pairs, pooled))
    table.rows.append(
        _character_row(None, "Overall (all codes pooled)", names, overall_pairs, overall_profile)
    )
    return table


_SHORT = {
    "percent_agreement": "percent",
    "cohen_kappa": "kappa",
    "krippendorff_alpha": "alpha",
    "holsti": "holsti",
}  # how the note names each figure


def _two_coder_row(
    number: int | None,
    name: str,
    names: tuple[str, ...],
    counts: stats.TwoCoderTable,
    **more: stats.Figure,
) -> Row:
    """The 2x2 counts, percent agreement and Cohen's kappa, then any further figures."""
    a, b = names
    figures = {
        "percent_agreement": stats.percent_agreement(counts),
        "cohen_kappa": stats.cohen_kappa(counts),
        **more,
    }
    return {
        "nr": number,
        "code": name,
        "both": counts.both,
        f"only_{a}": counts.only_a,
        f"only_{b}": counts.only_b,
        "neither": counts.neither,
        **{key: _value(figure) for key, figure in figures.items()},
        "note": _notes(**{_SHORT[key]: figure for key, figure in figures.items()}),
    }


def _character_row(
    number: int | None,
    name: str,
    names: tuple[str, ...],
    pairs: stats.CharacterCounts,
    pooled: stats.Profile,
) -> Row:
    alpha = stats.krippendorff_alpha(pooled)
    if len(names) == 2:
        return _two_coder_row(
            number, name, names, pairs, krippendorff_alpha=alpha, holsti=stats.holsti(pairs)
        )
    percent = stats.profile_percent_agreement(pooled)
    fleiss = stats.fleiss_kappa(pooled)
    row: Row = {"nr": number, "code": name}
    row.update({f"coded_by_{k}": n for k, n in enumerate(pooled.counts)})
    row.update(
        {
            "percent_agreement": _value(percent),
            "fleiss_kappa": _value(fleiss),
            "krippendorff_alpha": _value(alpha),
            "note": _notes(percent=percent, fleiss=fleiss, alpha=alpha),
        }
    )
    return row


def _quotations(
    names: tuple[str, ...],
    chosen: Sequence[Code],
    document_ids: Sequence[int],
    _lengths: dict[int, int],
    spans_of: SpansOf,
    threshold: float,
) -> AgreementTable:
    a, b = names
    columns = ["nr", "code", "matched", f"only_{a}", f"only_{b}", "agreement", "note"]
    table = AgreementTable("quotation", names, columns)
    total = stats.QuotationMatch(0, 0, 0)
    for code in chosen:
        result = stats.QuotationMatch(0, 0, 0)
        for document_id in document_ids:
            per_coder = spans_of[code.id].get(document_id)
            if per_coder is not None:
                result = result + stats.match_quotations(per_coder[0], per_coder[1], threshold)
        total = total + result
        table.rows.append(_quotation_row(code.number, code.name, names, result))
    table.rows.append(_quotation_row(None, "Overall (all codes pooled)", names, total))
    return table


def _quotation_row(
    number: int | None, name: str, names: tuple[str, ...], match: stats.QuotationMatch
) -> Row:
    a, b = names
    figure = match.agreement
    return {
        "nr": number,
        "code": name,
        "matched": match.matched,
        f"only_{a}": match.only_a,
        f"only_{b}": match.only_b,
        "agreement": _value(figure),
        "note": _notes(agreement=figure),
    }


def _documents(
    names: tuple[str, ...],
    chosen: Sequence[Code],
    document_ids: Sequence[int],
    _lengths: dict[int, int],
    spans_of: SpansOf,
    _threshold: float,
) -> AgreementTable:
    a, b = names
    columns = [
        "nr",
        "code",
        "both",
        f"only_{a}",
        f"only_{b}",
        "neither",
        "percent_agreement",
        "cohen_kappa",
        "note",
    ]
    table = AgreementTable("document", names, columns)
    everything: list[tuple[bool, bool]] = []
    for code in chosen:
        pairs: list[tuple[bool, bool]] = []
        for document_id in document_ids:
            per_coder = spans_of[code.id].get(document_id, [[], []])
            pairs.append((bool(per_coder[0]), bool(per_coder[1])))
        everything.extend(pairs)
        table.rows.append(
            _presence_row(code.number, code.name, names, stats.presence_counts(pairs))
        )
    table.rows.append(
        _presence_row(None, "Overall (all codes pooled)", names, stats.presence_counts(everything))
    )
    return table


def _presence_row(
    number: int | None, name: str, names: tuple[str, ...], counts: stats.PresenceCounts
) -> Row:
    return _two_coder_row(number, name, names, counts)


def versus_consensus(
    project: Project,
    coders: Sequence[str],
    consensus: str,
    *,
    unit: str = "character",
    documents: Sequence[str] = (),
    tree: str | None = None,
) -> list[VersusConsensus]:
    """Each coder's overall agreement with the consensus coder (kappa, or the quotation
    unit's share matched); coders who share no document with the consensus are left out."""
    found = []
    for name in coders:
        try:
            table = agreement(project, [name, consensus], unit=unit, documents=documents, tree=tree)
        except WorkbenchError:
            continue
        overall = table.rows[-1]
        found.append(
            VersusConsensus(name, heading(table.measure), overall[table.measure], overall["note"])
        )
    return found
