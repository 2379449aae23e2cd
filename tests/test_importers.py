"""Transcript files of every supported kind, made in the test, and the bad ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from odf.opendocument import OpenDocumentText
from odf.text import LineBreak, P, S

from tests.helpers import INTERVIEW, write
from workbench.domain.errors import InvalidInput
from workbench.importers.transcripts import expand_paths, read_transcript

DUTCH = (
    "I: Hoe gaat het met uw coördinatie?\n"
    "R: Eh… prima, dank u. Het café is één keer per week open.\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
)
def test_plain_text_encodings_decode_to_the_same_text(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    path = write(tmp_path / "R01.txt", prefix + DUTCH.replace("\n", "\r\n").encode(encoding))
    transcript = read_transcript(path)
    assert transcript.text == DUTCH
    assert transcript.name == "R01"
    assert [turn.speaker for turn in transcript.turns] == ["I", "R"]


def test_checksum_is_of_the_original_bytes(tmp_path: Path) -> None:
    a = read_transcript(write(tmp_path / "a.txt", DUTCH.encode("utf-8")))
    b = read_transcript(write(tmp_path / "b.txt", DUTCH.encode("cp1252")))
    assert a.text == b.text
    assert a.checksum != b.checksum


def test_docx_paragraphs_become_lines(tmp_path: Path) -> None:
    document = docx.Document()
    for line in INTERVIEW.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "R03.docx"))
    transcript = read_transcript(tmp_path / "R03.docx")
    assert transcript.text == INTERVIEW.rstrip("\n")
    assert len(transcript.turns) == 4


def test_odt_paragraphs_spaces_and_line_breaks(tmp_path: Path) -> None:
    document = OpenDocumentText()
    first = P(text="I: Goedemiddag.")
    second = P(text="R: Ja,")
    second.addElement(S(c=2))
    second.addText("eh")
    second.addElement(LineBreak())
    second.addText("welkom in het buurthuis.")
    document.text.addElement(first)
    document.text.addElement(second)
    document.save(str(tmp_path / "R08.odt"))
    transcript = read_transcript(tmp_path / "R08.odt")
    assert transcript.text == "I: Goedemiddag.\nR: Ja,  eh\nwelkom in het buurthuis."


def test_rtf_with_code_page_and_unicode_escapes(tmp_path: Path) -> None:
    rtf = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}"
        rb"\pard I: Hoe was het caf\'e9?\par R: Na\'efef, \u8220?mooi\u8221?.\par}"
    )
    transcript = read_transcript(write(tmp_path / "R09.rtf", rtf))
    assert "I: Hoe was het café?" in transcript.text
    assert "R: Naïef, “mooi”." in transcript.text


def test_vtt_voices_become_speaker_labels_with_timestamps(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\nNOTE exported\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Goedemorgen,\n"
        "welkom.</v>\n\n2\n00:00:05.000 --> 00:00:09.500\n<v Respondent>Dank &amp; <i>graag</i>.\n"
    )
    transcript = read_transcript(write(tmp_path / "R05.vtt", vtt))
    assert transcript.text == (
        "[00:00:01.000] Interviewer: Goedemorgen, welkom.\n"
        "[00:00:05.000] Respondent: Dank & graag.\n"
    )
    assert [t.speaker for t in transcript.turns] == ["Interviewer", "Respondent"]


def test_srt_cues_keep_their_start_time(tmp_path: Path) -> None:
    srt = (
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nI: Hallo.\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,000\r\nR: Dag.\r\n"
    )
    transcript = read_transcript(write(tmp_path / "R10.srt", srt))
    assert transcript.text == "[00:00:01,000] I: Hallo.\n[00:00:03,000] R: Dag.\n"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word"),
        ("novtt.vtt", b"00:00:01.000 --> 00:00:02.000\nhallo\n", "must start with the line WEBVTT"),
        ("notes.pdf", b"%PDF-1.4", "not a readable PDF"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type .pptx"),
        ("plain.rtf", b"just text", "not an RTF file"),
    ],
)
def test_bad_files_are_named_with_the_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(InvalidInput, match=reason) as raised:
        read_transcript(path)
    assert name in str(raised.value)


def test_odt_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        "<office:body>&lol2;</office:body></office:document-content>"
    )
    path = tmp_path / "bomb.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", bomb)
    with pytest.raises(InvalidInput, match=r"bomb\.odt"):
        read_transcript(path)


def test_folder_gives_supported_files_and_lists_the_rest(tmp_path: Path) -> None:
    for name in ("b.txt", "a.vtt", "attributes.csv", ".hidden.txt"):
        write(tmp_path / name, "x")
    files, skipped = expand_paths([tmp_path])
    assert [p.name for p in files] == ["a.vtt", "b.txt"]
    assert [p.name for p in skipped] == ["attributes.csv"]
