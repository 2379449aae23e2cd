"""Bytes to text for plain-text transcripts: the encodings Dutch transcripts actually come in."""

from __future__ import annotations

import codecs
import re

from workbench.domain.errors import InvalidInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that do not occur in text (tab, newline, CR, form feed are fine).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252.

    Windows-1252 is the last resort because any byte string without its five
    undefined bytes decodes as it: the check for control characters below is what
    tells text from a binary file.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), source), encoding
            except UnicodeDecodeError as error:
                raise InvalidInput(
                    f"{source}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {error.start}); re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        raise InvalidInput(
            f"{source}: looks like a binary file (it contains NUL bytes), not a transcript; "
            "if it is UTF-16 text without a byte-order mark, save it again as UTF-8"
        )
    try:
        return _checked(data.decode("utf-8"), source, data), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("cp1252"), source, data), "cp1252"
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{source}: cannot be decoded as UTF-8 or Windows-1252 (byte {error.start}: "
            f"0x{data[error.start]:02x}); save it again as UTF-8"
        ) from None


_SAMPLE = 200_000  # characters: a binary file shows itself long before that


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


def _checked(text: str, source: str, data: bytes | None = None) -> str:
    """`text` unless it looks binary: more than one control character in a thousand
    among its first _SAMPLE characters.

    `data` is the text's bytes when they are UTF-8 or Windows-1252: there a control
    character is one byte of the same value and no other byte is one, so a text no longer
    than the sample is checked by deleting those bytes (far faster than a regex)."""
    sample = text[:_SAMPLE]
    limit = max(2, len(sample) // 1000)
    if data is not None and len(text) <= _SAMPLE:
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    else:
        controls = 0
        for _ in _CONTROLS.finditer(sample):
            controls += 1
            if controls > limit:
                break
    if controls > limit:
        raise InvalidInput(
            f"{source}: looks like a binary file (it is full of control characters), "
            "not a transcript"
        )
    return text
