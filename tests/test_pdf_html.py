"""PDF and HTML transcripts, made in the test (PDFs with a real PDF writer), and the bad ones."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.helpers import write
from workbench.domain.errors import InvalidInput
from workbench.importers.transcripts import read_transcript
from workbench.services.documents import import_transcripts, list_documents
from workbench.storage.project import Project

HEADER = "Interview R03 – wijkteam Noord"
PAGES = [
    [
        "I: Hoe werkt de samenwerking met de wijkteams?",
        "R: Goed, al is de samen-",
        "werking met de Wmo-consulent soms lastig. We overleggen één",
        "keer per week, ook over de ideeën van de cliënt.",
        "I: En de naïeve vragen?",
        "R: Die stellen we gewoon. Dat is een reëel probleem bij de",
    ],
    [
        "teams in Noord-",
        "Brabant, zeker als de coördinator er niet is.",
        "I: Dank u wel.",
    ],
]
EXPECTED = (
    "I: Hoe werkt de samenwerking met de wijkteams?\n"
    "R: Goed, al is de samenwerking met de Wmo-consulent soms lastig. We overleggen één "
    "keer per week, ook over de ideeën van de cliënt.\n"
    "I: En de naïeve vragen?\n"
    "R: Die stellen we gewoon. Dat is een reëel probleem bij de teams in Noord-Brabant, "
    "zeker als de coördinator er niet is.\n"
    "I: Dank u wel."
)


def _interview_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(PAGES, start=1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, 800, HEADER)
        pdf.setFont("Helvetica", 11)
        for index, line in enumerate(lines):
            pdf.drawString(72, 760 - 16 * index, line)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(290, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


def _scan_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(72, 400, 300, 200, fill=1)  # what a scan has: marks on the page, no text
    pdf.showPage()
    pdf.save()
    return path


def test_pdf_text_layer_without_header_page_numbers_and_hyphenation(tmp_path: Path) -> None:
    transcript = read_transcript(_interview_pdf(tmp_path / "R03.pdf"))
    assert transcript.text == EXPECTED
    assert transcript.name == "R03"
    assert [turn.speaker for turn in transcript.turns] == ["I", "R", "I", "R", "I"]


def test_pdf_imports_through_the_service(project: Project, tmp_path: Path) -> None:
    report = import_transcripts(project, [_interview_pdf(tmp_path / "R03.pdf")])
    assert report.imported == ["R03"]
    (summary,) = list_documents(project)
    assert summary.length == len(EXPECTED)


def test_scan_and_corrupt_pdfs_are_refused_and_nothing_is_stored(
    project: Project, tmp_path: Path
) -> None:
    scan = _scan_pdf(tmp_path / "scan.pdf")
    noise = random.Random(19).randbytes(4000)
    corrupt = write(tmp_path / "kapot.pdf", noise)
    report = import_transcripts(project, [scan, corrupt])
    assert report.imported == []
    assert len(report.failed) == 2
    assert report.failed[0].startswith("scan.pdf: ")
    assert "no text layer" in report.failed[0] and "OCR" in report.failed[0]
    assert report.failed[1].startswith("kapot.pdf: ")
    assert "not a readable PDF" in report.failed[1]
    assert list_documents(project) == []


def test_truncated_pdf_is_refused_naming_the_file(tmp_path: Path) -> None:
    good = _interview_pdf(tmp_path / "R03.pdf").read_bytes()
    path = write(tmp_path / "half.pdf", good[: len(good) // 3])
    with pytest.raises(InvalidInput, match=r"^half\.pdf: "):
        read_transcript(path)


HTML = """<!DOCTYPE html>
<html><head><title>Export R05</title>
<style>p { color: red; }</style>
<script>var speaker = "X: niet zichtbaar";</script></head>
<body>
<h1>Interview R05</h1>
<div class="turn"><p>I: Hoe werkt de samenwerking
   met de wijkteams?</p></div>
<p>R: Goed. De Wmo-consulent komt één keer per week.<br>Soms vaker &amp; dan
  bespreken we de <b>ideeën</b> van de cliënt.</p>
<script type="text/javascript">document.write("<p>nee</p>");</script>
<ul><li>I: Nog iets?</li><li>R: Nee&nbsp;hoor.</li></ul>
</body></html>
"""


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_visible_text_with_paragraphs_and_line_breaks(tmp_path: Path, suffix: str) -> None:
    transcript = read_transcript(write(tmp_path / f"R05{suffix}", HTML))
    assert transcript.text == (
        "Interview R05\n"
        "I: Hoe werkt de samenwerking met de wijkteams?\n"
        "R: Goed. De Wmo-consulent komt één keer per week.\n"
        "Soms vaker & dan bespreken we de ideeën van de cliënt.\n"
        "I: Nog iets?\n"
        "R: Nee\u00a0hoor."
    )
    assert [turn.speaker for turn in transcript.turns] == ["I", "R", "I", "R"]


def test_html_without_visible_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "leeg.html", "<html><head><script>x()</script></head></html>")
    with pytest.raises(InvalidInput, match=r"^leeg\.html: holds no text"):
        read_transcript(path)


def test_pdf_paragraph_without_a_label_ends_at_a_short_closing_line(tmp_path: Path) -> None:
    lines = [
        "Toelichting: het gesprek vond plaats op het kantoor van het wijkteam in",
        "de Vogelbuurt, met de coördinator.",
        "Het wijkteam werkt sinds twee jaar samen met de huisartsen en de",
        "Wmo-consulent van de gemeente.",
    ]
    pdf = canvas.Canvas(str(tmp_path / "R07.pdf"), pagesize=A4)
    pdf.setFont("Helvetica", 11)
    for index, line in enumerate(lines):
        pdf.drawString(72, 760 - 16 * index, line)
    pdf.showPage()
    pdf.save()
    transcript = read_transcript(tmp_path / "R07.pdf")
    assert transcript.text == (
        "Toelichting: het gesprek vond plaats op het kantoor van het wijkteam in "
        "de Vogelbuurt, met de coördinator.\n"
        "Het wijkteam werkt sinds twee jaar samen met de huisartsen en de "
        "Wmo-consulent van de gemeente."
    )


@pytest.mark.parametrize(("spacing", "gap"), [(14, 20), (24, 30)])  # single and double spaced
def test_pdf_white_space_between_paragraphs_is_a_break(
    tmp_path: Path, spacing: int, gap: int
) -> None:
    paragraphs = [
        [
            "Het gesprek vond plaats op het kantoor van het wijkteam in de Vogelbuurt,",
            "met de coördinator, twee consulenten en een medewerker van de gemeente",
        ],
        [
            "De consulenten werken sinds twee jaar samen met de huisartsen in de wijk,",
            "en overleggen één keer per week over nieuwe aanmeldingen bij het team.",
        ],
    ]
    pdf = canvas.Canvas(str(tmp_path / "R08.pdf"), pagesize=A4)
    pdf.setFont("Helvetica", 11)
    y = 760
    for lines in paragraphs:
        for line in lines:
            pdf.drawString(72, y, line)
            y -= spacing
        y -= gap  # the white space between two paragraphs
    pdf.showPage()
    pdf.save()
    transcript = read_transcript(tmp_path / "R08.pdf")
    assert transcript.text == "\n".join(" ".join(lines) for lines in paragraphs)
