"""HTML transcripts (an interview exported from a web tool): the visible text, one line per block.

Python's html.parser reads the markup: it fetches nothing and knows only the standard
HTML character references. Paragraphs, divisions, list items, headings and table rows
end a line, <br> is a line break, and script, style and head are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from workbench.importers.decoding import decode_bytes

_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote", "pre"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "main"}
    | {"aside", "nav", "figure", "figcaption", "form", "fieldset", "address", "hr", "body"}
)
_CELLS = frozenset({"td", "th"})
# HTML collapses ASCII whitespace only: a no-break space (&nbsp;) stays.
_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0

    def _end_line(self, *, hard: bool) -> None:
        line = "".join(self.current)
        line = line.rstrip() if self.pre else _SPACE.sub(" ", line).strip(" ")
        if line or hard:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._end_line(hard=True)
        elif tag in _BLOCKS:
            self._end_line(hard=False)
            self.pre += tag == "pre"
        elif tag in _CELLS and self.current:
            self.current.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # <br/>, <hr/>; a self-closed <script/> hides nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._end_line(hard=False)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            for index, part in enumerate(data.split("\n")):
                if index:
                    self._end_line(hard=True)
                self.current.append(part)
        else:
            self.current.append(data)


def html_text(data: bytes, source: str) -> str:
    parser = _Text()
    parser.feed(decode_bytes(data, source)[0])
    parser.close()
    parser._end_line(hard=False)
    return "\n".join(parser.lines).strip("\n")
