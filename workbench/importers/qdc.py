"""REFI-QDA codebooks (.qdc) to a Codebook: lenient about namespaces and optional parts."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from workbench.domain.codetree import DEFAULT_TREE, Codebook, CodeGroupSpec, CodeSpec
from workbench.domain.errors import InvalidInput

_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_NUMBERED = re.compile(r"^(\d+) (\S.*)$")
MAX_BYTES = 50 * 1024 * 1024


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def split_number(name: str) -> tuple[int | None, str]:
    """Our exports put a code's number in front of its name ("12 Kansen..."): take it off."""
    numbered = _NUMBERED.match(name)
    if numbered:
        return int(numbered.group(1)), numbered.group(2)
    return None, name


def parse_colour(value: str | None) -> str | None:
    if not value or not _COLOUR.match(value.strip()):
        return None  # absent, or not #RGB/#RRGGBB (some tools write rgba(...)): dropped
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def _code(element: Element, source: str, guids: dict[str, CodeSpec]) -> CodeSpec:
    name = (element.get("name") or "").strip()
    if not name:
        raise InvalidInput(f"{source}: a Code (guid {element.get('guid')}) has no name")
    number, name = split_number(name)
    description = _children(element, "Description")
    codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
    spec = CodeSpec(
        name=name,
        number=number,
        definition=" ".join((description[0].text or "").split()) if description else "",
        colour=parse_colour(element.get("color")),
        codable=codable,
        children=[_code(child, source, guids) for child in _children(element, "Code")],
        guid=(element.get("guid") or "").strip() or None,
    )
    guids[guid_key(element.get("guid"))] = spec
    return spec


def guid_key(value: str | None) -> str:
    """GUIDs compare without case and braces (NVivo writes lower case, others upper)."""
    return (value or "").strip().strip("{}").lower()


def _group(element: Element, guids: dict[str, CodeSpec]) -> CodeGroupSpec:
    """A <Set> of codes; a codebook's members point with guid, a project's with targetGUID."""
    description = _children(element, "Description")
    group = CodeGroupSpec(
        name=(element.get("name") or "").strip() or "(unnamed group)",
        description=" ".join((description[0].text or "").split()) if description else "",
        guid=(element.get("guid") or "").strip() or None,
    )
    for member in _children(element, "MemberCode"):
        spec = guids.get(guid_key(member.get("guid") or member.get("targetGUID")))
        if spec is None:
            group.unknown += 1
        elif spec.name not in group.members:
            group.members.append(spec.name)
    return group


def parse_qdc(data: bytes, source: str) -> Codebook:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_BYTES // 1024 // 1024} MB; refused")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise InvalidInput(f"{source}: refused: the XML uses a DTD or entities ({error})") from None
    except SafeET.ParseError as error:
        raise InvalidInput(f"{source}: not well-formed XML ({error})") from None
    if _local(root) != "CodeBook":
        raise InvalidInput(f"{source}: the root element is {_local(root)}, not CodeBook")
    containers = _children(root, "Codes")
    if not containers:
        raise InvalidInput(f"{source}: the CodeBook has no Codes")
    guids: dict[str, CodeSpec] = {}
    roots = [_code(code, source, guids) for code in _children(containers[0], "Code")]
    groups = [
        _group(element, guids)
        for container in _children(root, "Sets")
        for element in _children(container, "Set")
    ]
    return Codebook(title=Path(source).stem, tree=DEFAULT_TREE, roots=roots, groups=groups)
