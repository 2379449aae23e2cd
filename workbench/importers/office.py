"""Word (.docx), OpenDocument (.odt) and RTF transcripts: one paragraph per line."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from striprtf.striprtf import rtf_to_text

from workbench.domain.errors import InvalidInput

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MAX_XML = 200 * 1024 * 1024


def docx_text(data: bytes, source: str) -> str:
    import docx  # python-docx; imported here so plain-text imports do not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InvalidInput(f"{source}: not a readable Word .docx file ({error})") from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _odt_inline(element: Element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_TEXT_NS}}}c", "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag in ("note", "annotation"):
            pass  # footnotes and comments are not part of what was said
        else:
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_blocks(element: Element, lines: list[str]) -> None:
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if child.tag in (f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"):
            lines.append(_odt_inline(child))
        elif tag not in ("sequence-decls", "tracked-changes"):
            _odt_blocks(child, lines)


def odt_text(data: bytes, source: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("content.xml")
            if info.file_size > _MAX_XML:
                raise InvalidInput(f"{source}: content.xml is too large ({info.file_size} bytes)")
            root = SafeET.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError) as error:
        raise InvalidInput(f"{source}: not a readable OpenDocument .odt file ({error})") from None
    except SafeET.ParseError as error:
        raise InvalidInput(f"{source}: content.xml is not well-formed XML ({error})") from None
    except ValueError as error:  # defusedxml refuses entities and DTDs
        raise InvalidInput(f"{source}: content.xml was refused ({error})") from None
    body = root.find(f"{{{_OFFICE_NS}}}body")
    if body is None:
        raise InvalidInput(f"{source}: content.xml has no office:body")
    lines: list[str] = []
    _odt_blocks(body, lines)
    return "\n".join(lines)


_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_text(data: bytes, source: str) -> str:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InvalidInput(f"{source}: not an RTF file (it does not start with {{\\rtf)")
    match = _CODEPAGE.search(data[:2000])
    encoding = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except LookupError:
        text = rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")
    return str(text)
