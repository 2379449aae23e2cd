"""PDF transcripts: the text layer, one line per paragraph, without running heads and page numbers.

pypdf gives the text of each page as lines in reading order. What a PDF adds to the
words is layout, and the layout is undone here: lines broken by the page width are
joined again (a word hyphenated at the line end is mended; white space wider than
the usual line spacing, a speaker label or a short line ending a sentence starts a
paragraph), and the header and footer repeated on every page and the page numbers
are dropped. A PDF without a text layer (a scan) is refused: workbench does no OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from workbench.domain.errors import InvalidInput

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|van)\s*\d{1,4})?[-–—\s]*$",
    re.IGNORECASE,
)
# A line that starts a turn ("I: ...", "Interviewer: ...") starts a paragraph.
_LABEL = re.compile(r"^(?:\[[0-9:.,]+\]\s*)?[A-Z\u00c0-\u00de][\w.'()\-]*(?: [\w.'()\-]+){0,3}: ")
_SENTENCE_END = (".", "?", "!", ":", '"', "”", "’", "'", ")", "…")
_EDGE = 2  # lines at the top and at the bottom of a page where heads and numbers live
_SHORT = 0.7  # a line this much shorter than the longest, ending a sentence, ends a paragraph


def _page_text(page: Any) -> str:
    """Layout mode keeps vertical gaps as blank lines (paragraph breaks); plain mode if it fails."""
    try:
        return str(page.extract_text(extraction_mode="layout") or "")
    except Exception:
        return str(page.extract_text() or "")


def _pages(data: bytes, source: str) -> list[str]:
    from pypdf import PdfReader  # imported here so plain-text imports do not pay for it
    from pypdf.errors import PyPdfError

    # pypdf logs what it repairs or cannot read ("EOF marker not found") as warnings; the
    # import reports a refused file itself, with its name, so those lines are kept quiet.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(f"{source}: the PDF is encrypted with a password; remove it first")
        return [_page_text(page) for page in reader.pages]
    except InvalidInput:
        raise
    except PyPdfError as error:
        raise InvalidInput(f"{source}: not a readable PDF file ({error})") from None
    except Exception as error:
        # A damaged PDF can make pypdf fail anywhere (KeyError, IndexError, RecursionError...);
        # it is one bad file, to be reported with its name, not a reason to stop the import.
        raise InvalidInput(
            f"{source}: not a readable PDF file ({type(error).__name__}: {error})"
        ) from None
    finally:
        logger.setLevel(level)


def _key(line: str) -> str:
    """Running heads compare without their digits: 'Interview R03 — 2' is 'Interview R# — #'."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _running_lines(pages: list[list[str]]) -> set[str]:
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = {_key(line) for line in lines[:_EDGE] + lines[-_EDGE:] if line.strip()}
        seen.update(edges)
    needed = max(2, (len(pages) * 6 + 9) // 10)  # on most pages: at least 60 %
    return {key for key, count in seen.items() if count >= needed}


def _trim(lines: list[str], running: set[str]) -> list[str]:
    def droppable(line: str) -> bool:
        return not line.strip() or _key(line) in running or bool(_PAGE_NUMBER.match(line))

    start, end = 0, len(lines)
    for _ in range(_EDGE + 1):
        while start < end and not lines[start].strip():
            start += 1
        if start < end and droppable(lines[start]):
            start += 1
    for _ in range(_EDGE + 1):
        while end > start and not lines[end - 1].strip():
            end -= 1
        if end > start and droppable(lines[end - 1]):
            end -= 1
    return lines[start:end]


def _join(lines: list[str | None]) -> str:
    """Lines (None marks a blank line) to paragraphs, one per line."""
    widest = max((len(line) for line in lines if line), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if line is None:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif _LABEL.match(line):
            paragraphs.append(current)
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha():
            # samen-/werking is one word; Noord-/Brabant keeps its hyphen
            current = current[:-1] + line if line[:1].islower() else current + line
        else:
            current = f"{current} {line}"
        if len(line) < widest * _SHORT and line.endswith(_SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def pdf_text(data: bytes, source: str) -> str:
    pages = [
        text.replace("\r\n", "\n").replace("\r", "\n").split("\n") for text in _pages(data, source)
    ]
    if not pages:
        raise InvalidInput(f"{source}: the PDF has no pages")
    if not any(line.strip() for lines in pages for line in lines):
        raise InvalidInput(
            f"{source}: the PDF has no text layer (a scan?); workbench does not do OCR: "
            "run OCR on it first or export the transcript as text"
        )
    running = _running_lines(pages)
    lines: list[str | None] = []
    for page in pages:
        lines.extend(_gaps([" ".join(line.split()) for line in _trim(page, running)]))
    return _join(lines)


def _gaps(lines: list[str]) -> list[str | None]:
    """Runs of blank lines longer than the page's usual line spacing mark a paragraph break."""
    runs: list[int] = []
    run = 0
    for line in lines:
        if line:
            runs.append(run)
            run = 0
        else:
            run += 1
    usual = Counter(runs[1:]).most_common(1)[0][0] if len(runs) > 1 else 0
    kept: list[str | None] = []
    for line, before in zip((line for line in lines if line), runs, strict=True):
        if before > usual and kept:
            kept.append(None)
        kept.append(line)
    return kept
