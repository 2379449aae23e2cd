"""The HTML report: a Jinja2 template shipped with the package, filled with plain
values; one self-contained file (inline CSS and SVG, no scripts, fonts or network)."""

from __future__ import annotations

import re
from typing import Any

_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def inline_svg(svg: bytes) -> str:
    """An SVG document as an element to place inside HTML."""
    return _XML_PROLOGUE.sub("", svg.decode("utf-8"))


def render_report(context: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("workbench", "export/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2").render(**context)
