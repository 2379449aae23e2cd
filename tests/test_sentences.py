"""The sentences of a verbatim Dutch interview line, as `s`, the search's auto-coding
and the suggester cut them (domain/text.py)."""

from __future__ import annotations

from workbench.domain.passages import Layout
from workbench.domain.text import sentence_at, sentences_in
from workbench.suggest.passages import uncoded_passages


def _cut(line: str) -> list[str]:
    return [line[a:b] for a, b in sentences_in(line)]


def test_a_filler_full_stop_ends_no_sentence() -> None:
    line = "R: Nou, eh. Wij gingen toen eh. Naar het buurthuis. Ehm. Dat was het."
    assert _cut(line) == [
        "Nou, eh. Wij gingen toen eh. Naar het buurthuis.",
        "Ehm. Dat was het.",
    ]
    # uh and uhm too, whatever their case; a word that only ends in "eh" is a word
    assert _cut("I: Uh. Hoe bedoelt u? Uhm. Ja. Geh. Oké.") == [
        "Uh. Hoe bedoelt u?",
        "Uhm. Ja.",
        "Geh.",
        "Oké.",
    ]
    # a question after a filler is still a question
    assert _cut("R: Snap je, eh? Ja.") == ["Snap je, eh?", "Ja."]


def test_pauses_ellipses_and_the_speaker_label() -> None:
    line = "Interviewer: Eh (...) ja. Nou, ... dat (.) weet ik… niet. Echt?!  "
    assert _cut(line) == ["Eh (...) ja.", "Nou, ... dat (.) weet ik… niet.", "Echt?!"]
    # inside a pause nothing ends: (lacht. Echt.) belongs to the sentence around it
    assert _cut("R: Ja (lacht. Echt.) dat klopt. Zeker.") == [
        "Ja (lacht. Echt.) dat klopt.",
        "Zeker.",
    ]
    assert sentences_in("R:    ") == []


def test_the_sentence_at_an_offset_or_the_nearest_one() -> None:
    text = "I: Hoe ging dat, eh. Met de wijk?\n\nR: Ehm. Goed. Heel goed eigenlijk."
    assert text[slice(*sentence_at(text, text.index("wijk")))] == ("Hoe ging dat, eh. Met de wijk?")
    assert text[slice(*sentence_at(text, text.index("eh.") + 1))] == (
        "Hoe ging dat, eh. Met de wijk?"
    )
    # on the empty line: the next sentence; on the label: the first one after it
    assert text[slice(*sentence_at(text, text.index("\n\n") + 1))] == "Ehm. Goed."
    assert text[slice(*sentence_at(text, text.index("R:")))] == "Ehm. Goed."
    assert text[slice(*sentence_at(text, len(text)))] == "Heel goed eigenlijk."
    assert sentence_at("", 0) == (0, 0)


def test_auto_coding_and_suggestions_cut_sentences_the_same_way() -> None:
    text = "[00:00:01.000] R: Eh. Ja... wij eh. Werken samen. Met de buurt (.) ook.\n"
    layout = Layout(text, [(0, len(text), "R")])
    hit = text.index("samen")
    assert text[slice(*layout.sentence_span(hit, hit + 5))] == "Eh. Ja... wij eh. Werken samen."
    hit = text.index("buurt")
    assert text[slice(*layout.sentence_span(hit, hit + 5))] == "Met de buurt (.) ook."
    passages = uncoded_passages(text, [(0, len(text), "R")], min_words=1)
    assert [p.text for p in passages] == [
        "Eh. Ja... wij eh. Werken samen.",
        "Met de buurt (.) ook.",
    ]
    # a hit over two sentences takes both
    start, end = text.index("samen"), text.index("buurt") + 5
    assert text[slice(*layout.sentence_span(start, end))] == (
        "Eh. Ja... wij eh. Werken samen. Met de buurt (.) ook."
    )
