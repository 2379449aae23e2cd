"""REFI-QDA project exchange: `workbench import-project` and `workbench export-project`."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import overload

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.coderecords import NewCodes, stored_id
from workbench.domain.codetree import CodeSpec
from workbench.domain.model import NewDocument
from workbench.domain.names import unique_name
from workbench.domain.text import normalise_text
from workbench.domain.turns import find_turns
from workbench.importers.positions import OffsetMap, assess_reading, describe
from workbench.importers.qdc import guid_key
from workbench.importers.refi import RefiProject, RefiSource, read_refi
from workbench.services.history import commit_change
from workbench.services.project import tree_name
from workbench.services.refi_identity import (
    empty_document,
    keep_project,
    keep_users,
    refuse_second_import,
    set_problems,
)
from workbench.services.refi_quotations import SourceQuotations
from workbench.storage import repositories as repo
from workbench.storage.project import Project

IMPORTED_CODER = "imported"


@dataclass
class RefiImportReport:
    project: str
    documents: list[str] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)  # per document: how positions counted
    codes: int = 0
    quotations: int = 0
    coders: list[str] = field(default_factory=list)
    memos: int = 0
    groups: int = 0
    skipped: list[str] = field(default_factory=list)  # what the file has that is not here
    renamed: list[str] = field(default_factory=list)  # codes whose name was taken
    matched: list[str] = field(default_factory=list)  # codes here already, by GUID
    warnings: list[str] = field(default_factory=list)  # what may need a look


def _source_name(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    return PurePath(name).stem if suffix in (".txt", ".docx", ".rtf", ".odt", ".pdf") else name


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The import makes millions of objects that hold no cycles (elements, selections,
    records): the cycle collector would scan the growing heap again and again (a third
    of the CPU of a 200,000-selection import). Reference counting frees them as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_project(
    project: Project,
    path: Path,
    *,
    positions: str | None = None,
    tree: str | None = None,
    coder: str | None = None,
    as_new: bool = False,
) -> RefiImportReport:
    """Everything or nothing: documents, codes, quotations and attributes in one transaction.

    The GUIDs, users, dates and name the file gives are kept, so that an export writes
    them back. A project imported already is refused; `as_new` imports a copy (with GUIDs
    of its own, since a copy is other objects)."""
    with _without_cycle_collection():
        return _import_project(project, path, positions, tree, coder, as_new)


def _import_project(
    project: Project,
    path: Path,
    positions: str | None,
    tree: str | None,
    coder: str | None,
    as_new: bool,
) -> RefiImportReport:
    refi = read_refi(path)
    report = RefiImportReport(refi.name, skipped=list(refi.skipped))
    keep = not as_new
    checksums = [hashlib.sha256(s.encoded()).hexdigest() for s in refi.sources]
    texts = _Texts(refi.sources)
    lengths: list[int] = []
    blank: dict[int, str] = {}  # the texts of nothing but white space
    for index, text in enumerate(texts):
        lengths.append(len(text))
        if not text.strip():
            blank[index] = text
    with project.unit_of_work() as session:
        if keep:
            report.warnings.extend(
                refuse_second_import(session, refi, path.name, texts, set(lengths))
            )
        target = repo.get_or_create_tree(session, tree or tree_name(session, None))
        tree_codes = repo.tree_codes(session, target.id)
        taken_codes = {c.name.casefold() for c in tree_codes}
        taken_guids = {guid_key(g) for g in repo.stored_guids(session, "code").values()}
        # A code of the tree with the GUID a code of the file has (its codebook was
        # loaded, say) is that code: its codings go onto it, nothing is added or renamed.
        by_guid = {guid_key(c.guid): c for c in tree_codes if c.guid} if keep else {}
        matched: list[str] = []

        def existing(spec: CodeSpec) -> int | None:
            code = by_guid.get(guid_key(spec.guid)) if spec.guid else None
            if code is not None:
                matched.append(code.label)
            return code.id if code is not None else None

        new_codes = NewCodes(target.id)
        parents = {id(c): spec.name for spec in _walk(refi.codes) for c in spec.children}

        def free_name(spec: CodeSpec) -> str:
            name = unique_name(spec.name, taken_codes, ignore_case=True)
            if name != spec.name:
                under = f" (under {parents[id(spec)]!r})" if id(spec) in parents else ""
                report.renamed.append(
                    f"code {spec.name!r}{under} imported as {name!r}: tree {target.name!r} "
                    "has a code of that name already"
                )
            taken_codes.add(name.casefold())
            if spec.guid and guid_key(spec.guid) in taken_guids:
                spec.guid = None  # a code here has it: this one gets its own
            return name

        placeholder = new_codes.add_specs(
            refi.codes, name=free_name, keep_guids=keep, existing=existing
        )
        report.codes = len(new_codes)
        if matched:
            report.matched.append(
                f"{len(matched)} code(s) of the file are codes of tree {target.name!r} already "
                f"(the same GUID): {', '.join(matched[:5])}"
                + (f" and {len(matched) - 5} more" if len(matched) > 5 else "")
            )
        taken_documents = repo.document_names(session)
        names: list[str] = []
        for index, source in enumerate(refi.sources):
            name = unique_name(_source_name(source.name), taken_documents)
            taken_documents.add(name)
            names.append(name)
            spaces = blank.get(index)
            if spaces is None or source.stand_in:
                continue
            if empty := empty_document(name, spaces):
                report.warnings.append(empty)
        document_ids = _add_documents(session, refi, names, texts, checksums)
        del texts  # each source holds its text (UTF-8) until its selections are read
        document_of_source = {
            source.guid: document_id
            for source, document_id in zip(refi.sources, document_ids, strict=True)
        }
        if keep:
            repo.set_guids(
                session,
                "document",
                {
                    document_id: refi.written.get(source.guid, source.guid)
                    for source, document_id in zip(refi.sources, document_ids, strict=True)
                    if source.guid
                },
            )
            keep_project(session, refi)
        coder_ids: dict[str, int] = {}
        report.coders = keep_users(session, refi, keep)

        def coder_id(user: str) -> int:
            name = refi.users.get(user) or coder or IMPORTED_CODER
            if name not in coder_ids:
                coder_ids[name] = repo.get_or_create_coder(session, name).id
            return coder_ids[name]

        quotations = SourceQuotations(
            code_ids={
                guid: placeholder[id(spec)]
                for guid, spec in refi.code_guids.items()
                if id(spec) in placeholder
            },
            coder_id=coder_id,
            users=refi.users,
            # Only the selections a note is about need their quotation found again.
            noted={n.target[1] for n in refi.notes if n.target and n.target[0] == "selection"},
            keep=keep,
            now=repo.now().isoformat(),
        )
        records_q: list[QuotationRecord] = []
        for source, name, length, document_id in zip(
            refi.sources, names, lengths, document_ids, strict=True
        ):
            repo.set_attributes(session, document_id, source.attributes)
            report.documents.append(name)
            if not source.selections:
                source.stored = ""
                continue
            choice = assess_reading(
                source.stored,
                source.selections,
                refi.origin,
                "codepoints" if source.stand_in else positions,
                source=name,
            )
            if choice.warning:
                report.warnings.append(choice.warning)
            report.readings.append(f"{name}: {describe(choice.reading)}")
            # A quotation is one document's: its selections are all this source's, so
            # each source's become records at once, and what they held is freed (source
            # by source: that keeps the import's peak memory down).
            records_q.extend(
                quotations.records(
                    name, document_id, length, source.selections, OffsetMap(choice.reading)
                )
            )
            source.selections = []
            source.stored = ""
        quotations.done()
        report.skipped.extend(quotations.skipped)
        refi.written.clear()
        report.quotations = len(records_q)
        report.coders = sorted({*report.coders, *coder_ids})
        applied = commit_change(
            session,
            repo.get_or_create_coder(session, coder).id if coder else None,
            "project.import",
            f"imported {path.name}: {len(names)} document(s), {len(new_codes)} code(s), "
            f"{len(records_q)} quotation(s)",
            ChangeSet(added_codes=new_codes.change(), added_quotations=tuple(records_q)),
            documents=[{"id": i, "name": n} for i, n in zip(document_ids, names, strict=True)],
        )
        _memos_and_groups(
            session,
            refi,
            report,
            applied,
            placeholder,
            quotations.places,
            document_of_source,
            coder_id,
        )
    return report


class _Texts(Sequence[str]):
    """The sources' texts as we store them (LF, NFC), each made when asked: a big project's
    are not all strings at once."""

    def __init__(self, sources: list[RefiSource]) -> None:
        self.sources = sources

    def __len__(self) -> int:
        return len(self.sources)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [normalise_text(s.stored) for s in self.sources[index]]
        return normalise_text(self.sources[index].stored)


_DOCUMENT_BATCH = 50  # documents stored at a time: their turns are made per batch


def _add_documents(
    session: Session,
    refi: RefiProject,
    names: list[str],
    texts: Sequence[str],
    checksums: list[str],
) -> list[int]:
    """Store the documents with their speaker turns, a batch at a time (the turns are
    found per batch, so that only a batch's are held at once); their ids in order."""
    ids: list[int] = []
    for first in range(0, len(names), _DOCUMENT_BATCH):
        batch = range(first, min(first + _DOCUMENT_BATCH, len(names)))
        ids.extend(
            repo.add_documents(
                session,
                [
                    NewDocument(
                        names[i], text, refi.sources[i].name, checksums[i], find_turns(text)
                    )
                    for i in batch
                    for text in (texts[i],)  # made from the source's UTF-8 once, not twice
                ],
            )
        )
    return ids


def _walk(specs: list[CodeSpec]) -> Iterator[CodeSpec]:
    for spec in specs:
        yield from spec.walk()


def _memos_and_groups(
    session: Session,
    refi: RefiProject,
    report: RefiImportReport,
    applied: ChangeSet,
    placeholder: dict[int, int],
    selection_key: dict[str, tuple[int, int, int, int]],
    document_of_source: dict[str, int],
    coder_id: Callable[[str], int],
) -> None:
    """Notes become memos on what they refer to; sets become code and document groups."""
    code_of_spec = {spec_id: stored_id(applied, p) for spec_id, p in placeholder.items()}
    code_of_guid = {
        guid: code_of_spec[id(spec)]
        for guid, spec in refi.code_guids.items()
        if id(spec) in code_of_spec
    }
    wanted = set(selection_key.values())
    quotation_of_key: dict[tuple[int, int, int, int], int] = {}
    for stored in applied.added_quotations:
        place = (stored.document_id, stored.start, stored.end, stored.coder_id)
        if place in wanted:
            quotation_of_key[place] = int(stored.id or 0)
    for note in refi.notes:
        target: dict[str, int | None] = {}
        if note.target is not None:
            kind, guid = note.target
            if kind == "code":
                target["code_id"] = code_of_guid.get(guid)
            elif kind == "source":
                target["document_id"] = document_of_source.get(guid)
            else:
                key = selection_key.get(guid)
                target["quotation_id"] = quotation_of_key.get(key) if key else None
        repo.add_memo(
            session,
            title=note.title,
            text=note.text,
            coder_id=coder_id(note.user) if note.user in refi.users else None,
            **target,
        )
        report.memos += 1
    for found in refi.sets:
        groups = (
            ("code", [code_of_guid[g] for g in found.codes if g in code_of_guid]),
            ("document", [document_of_source[g] for g in found.sources if g in document_of_source]),
        )
        made = 0
        for kind, members in groups:
            if not members:
                continue
            taken = repo.group_names(session, kind)
            name = unique_name(found.name, taken)
            repo.add_group(session, kind, name, found.description, members)
            made += 1
        report.groups += made
        report.skipped.extend(set_problems(found, refi, made))
