"""WebVTT and SubRip files as a readable transcript: one line per cue, timestamp and speaker kept.

Each cue becomes `[START] Speaker: text` (or `[START] text` without a voice), so the
timestamps and speakers stay in the text, where a coder can see and quote them.
"""

from __future__ import annotations

import html
import re

from workbench.domain.errors import InvalidInput

_TIMING = re.compile(
    r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


def _cue_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _cue_line(timing: str, payload: list[str]) -> str:
    start = timing.split("-->")[0].strip()
    joined = " ".join(part.strip() for part in payload)
    voice = _VOICE.search(joined)
    body = html.unescape(_TAG.sub("", joined)).strip()
    body = re.sub(r"\s+", " ", body)
    if voice:
        return f"[{start}] {voice.group(1).strip()}: {body}"
    return f"[{start}] {body}"


def subtitles_to_text(text: str, source: str, *, webvtt: bool) -> str:
    """`text` has '\\n' line endings already."""
    blocks = _cue_blocks(text)
    if webvtt:
        if not blocks or not blocks[0][0].lstrip("\ufeff").startswith("WEBVTT"):
            raise InvalidInput(f"{source}: a WebVTT file must start with the line WEBVTT")
        blocks = blocks[1:]
    lines: list[str] = []
    for block in blocks:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = next((i for i, line in enumerate(block) if _TIMING.match(line)), None)
        if timing_at is None or timing_at > 1:
            continue  # an srt index or stray text without timing carries no speech
        payload = block[timing_at + 1 :]
        if payload:
            lines.append(_cue_line(block[timing_at], payload))
    if not lines:
        raise InvalidInput(f"{source}: no cues with a timing line (00:00:01.000 --> ...) found")
    return "\n".join(lines) + "\n"
