"""The HTML report: it parses, holds every code with its count (counted here from the
codings file), carries its chart inline and loads nothing from elsewhere."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, SMALL_CODEBOOK, small_codebook, write

CODINGS = [("R01", 0, 10, "2"), ("R01", 0, 10, "12"), ("R01", 44, 80, "2"), ("R01", 90, 120, "20")]
NAMES = {
    line.split("- ", 1)[1].split(" ", 1)[0]: line.split("- ", 1)[1].split(" ", 1)[1]
    for line in SMALL_CODEBOOK.splitlines()
    if "- " in line
}


class Tables(HTMLParser):
    """Rows of the table with id 'codes', every tag name seen, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: Counter[str] = Counter()
        self.sources: list[str] = []
        self._in_codes = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = dict(attrs)
        self.sources += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag == "table":
            self._in_codes = found.get("id") == "codes"
        elif tag == "tr" and self._in_codes:
            self.rows.append([])
        elif tag == "td" and self._in_codes:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._in_codes = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def report(run: Runner, tmp_path: Path) -> Path:
    where = ("-p", str(tmp_path / "p.db"))
    run("codebook", "load", str(small_codebook(tmp_path)), *where)
    run("import", str(write(tmp_path / "R01.txt", INTERVIEW)), *where)
    rows = "".join(f"{d},{s},{e},{c},anouk\n" for d, s, e, c in CODINGS)
    run(
        "codings",
        "import",
        str(write(tmp_path / "c.csv", "document,start,end,code,coder\n" + rows)),
        *where,
    )
    run(
        "memo",
        "add",
        "Eerste indruk",
        "--about",
        "code",
        "2",
        "--text",
        "Tijdsdruk & <regels>",
        *where,
    )
    out = tmp_path / "report.html"
    result = run("report", "--out", str(out), "--final", *where)
    assert result.code == 0, result.stderr
    return out


def test_report_holds_every_code_with_its_count(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    parsed = Tables()
    parsed.feed(html)
    expected = Counter(code for *_, code in CODINGS)
    shown = {row[1]: int(row[3]) for row in parsed.rows if row and row[0]}
    assert shown == {NAMES[n]: expected.get(n, 0) for n in NAMES}
    assert parsed.tags["svg"] == 1 and parsed.tags["script"] == 0
    assert parsed.sources == []  # nothing to fetch: no src or href at all
    assert "Tijdsdruk &amp; &lt;regels&gt;" in html  # memo text escaped, not markup
    assert html.count("<blockquote>") == len(CODINGS)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="no headless Chromium installed (/usr/bin/chromium); the HTML is still parsed above",
)
def test_report_renders_in_headless_chromium(report: Path) -> None:
    browser = str(CHROMIUM) if CHROMIUM.exists() else str(shutil.which("chromium"))
    dumped = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dumped.returncode == 0, dumped.stderr
    assert "Belemmeringen collectief werken" in dumped.stdout
    assert "<svg" in dumped.stdout and ("<path" in dumped.stdout or "<rect" in dumped.stdout)
