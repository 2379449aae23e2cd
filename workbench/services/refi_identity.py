"""What an import keeps of a REFI-QDA project's identity, and what it tells about it:
the same project imported twice, dates as written, the project's own name and users,
sets that lose their members, empty documents."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from workbench.domain.errors import InvalidInput
from workbench.importers.refi import RefiProject, RefiSet
from workbench.services.refi_export import PROJECT_SETTING
from workbench.storage import repositories as repo


def refuse_second_import(
    session: Session,
    refi: RefiProject,
    file: str,
    texts: Sequence[str],
    lengths: Collection[int] | None = None,
) -> list[str]:
    """A project is imported once: refused when its sources are documents here already,
    by their GUIDs, or (imported before GUIDs were kept, or exported from here) every one
    by its text. Returns a warning for each source whose text a document has, when only
    some have."""
    guids = [source.guid for source in refi.sources if source.guid]
    known = repo.documents_with_guids(session, guids)
    how = "the same GUID"
    matched = repo.documents_with_texts(session, texts, lengths) if refi.sources else []
    if not known and matched and all(matched):
        known = {str(i): str(name) for i, name in enumerate(matched)}
        how = "the same text"
    if not known:
        return [
            f"{source.name}: the same text as document {name!r} here; imported as another document"
            for source, name in zip(refi.sources, matched, strict=True)
            if name
        ]
    names = sorted(set(known.values()))
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise InvalidInput(
        f"{file}: this project was imported already: its sources are documents here "
        f"({shown}: {how}); nothing was imported. To bring in what changed, import it into "
        "a project of its own (--project other.db) and `workbench merge-project other.db`; "
        "to import a second copy anyway, add --as-new"
    )


@lru_cache(maxsize=4096)  # a project repeats its dates: thousands of codings, one time
def parse_when(value: str) -> datetime | None:
    """An xsd:dateTime as UTC (without a zone: taken as UTC), or None when not one."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def keep_project(session: Session, refi: RefiProject) -> None:
    """The Project element's name, creating user and dates, for the export to write back;
    the first project imported names the project."""
    if repo.get_setting(session, PROJECT_SETTING):
        return
    about = dict(refi.about)
    for key in ("creatingUserGUID", "modifyingUserGUID"):
        if key in about:
            about[key] = refi.written.get(about[key].strip("{}").lower(), about[key])
    repo.set_setting(session, PROJECT_SETTING, json.dumps({"name": refi.name, "about": about}))


def keep_users(session: Session, refi: RefiProject, keep_guids: bool) -> list[str]:
    """Every user becomes a coder, also one who coded nothing; returns their names."""
    guids = repo.stored_guids(session, "coder")
    new: dict[int, str] = {}
    names = []
    for key, name in refi.users.items():
        coder = repo.get_or_create_coder(session, name)
        names.append(coder.name)
        if keep_guids and coder.id not in guids and key:
            new[coder.id] = refi.written.get(key, key)
    repo.set_guids(session, "coder", new)
    return names


def set_problems(found: RefiSet, refi: RefiProject, made: int) -> list[str]:
    """What a report says of a set whose members were (partly) left out."""
    kinds = Counter(refi.unsupported[g] for g in found.sources if g in refi.unsupported)
    left_out = sum(kinds.values()) + found.notes
    if not left_out and made:
        return []
    what = ", ".join(f"{n} {kind}(s)" for kind, n in sorted(kinds.items()))
    if found.notes:
        what = ", ".join(filter(None, (what, f"{found.notes} note(s)")))
    if not made:
        reason = f"its members ({what}) are not imported" if what else "it has no members here"
        return [f"set {found.name!r}: not imported: {reason}"]
    return [f"set {found.name!r}: {what} left out (not imported)"]


def empty_document(name: str, text: str) -> str | None:
    if text.strip():
        return None
    return (
        f"{name}: the document is empty ({len(text)} character(s)); the tool may have "
        "written its text only in the .docx (NVivo for Mac does); imported empty"
    )
