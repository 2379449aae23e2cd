"""Search across documents against plain re.finditer counts, and auto-coding with undo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import small_codebook, write
from workbench.domain.errors import InvalidInput
from workbench.domain.text import sentence_at
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.history import undo
from workbench.services.retrieval import retrieve
from workbench.services.search import SearchOptions, auto_code, search
from workbench.storage.project import Project

TEXTS = {
    "R01": "I: Hoe is het Café?\nR: Het café is dicht. Cafe en CAFÉ zijn één.\n",
    "R02": "I: En de wijk?\nR: Wij zoeken een café. Geen caféïne!\nI: Dank.\n",
}


@pytest.fixture
def searched(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / f"{n}.txt", t) for n, t in TEXTS.items()])
    return project


def _plain(pattern: str, flags: int = 0) -> int:
    return sum(len(list(re.finditer(pattern, text, flags))) for text in TEXTS.values())


def test_hits_equal_plain_regex_counts_with_accents_and_case(searched: Project) -> None:
    assert len(search(searched, "café")) == _plain("café") == 3
    assert len(search(searched, "café", SearchOptions(ignore_case=True))) == _plain(
        "café", re.IGNORECASE
    )
    whole = search(searched, "café", SearchOptions(ignore_case=True, whole_word=True))
    assert len(whole) == _plain(r"\bcafé\b", re.IGNORECASE)
    assert all(h.match.lower() == "café" for h in whole)
    assert len(search(searched, r"ca[fF]e?", SearchOptions(regex=True))) == _plain(r"ca[fF]e?")
    hits = search(searched, "één")
    assert [(h.document, h.start, h.end) for h in hits] == [
        ("R01", TEXTS["R01"].index("één"), TEXTS["R01"].index("één") + 3)
    ]
    assert hits[0].paragraph == 2 and hits[0].left.endswith("zijn")
    only = search(searched, "café", SearchOptions(documents=["R02"], ignore_case=True))
    assert {h.document for h in only} == {"R02"}


def test_auto_coding_is_one_operation_that_undo_takes_back(searched: Project) -> None:
    options = SearchOptions(ignore_case=True, whole_word=True)
    done = auto_code(searched, "café", "2", coder="anouk", unit="sentence", options=options)
    expected = _plain(r"\bcafé\b", re.IGNORECASE)
    assert done.hits == done.quotations == expected == 4  # "Cafe" has no accent: no hit
    texts = sorted(r.text for r in retrieve(searched, codes=["2"]))
    assert texts == [
        "Cafe en CAFÉ zijn één.",
        "Het café is dicht.",
        "Hoe is het Café?",
        "Wij zoeken een café.",
    ]
    with pytest.raises(InvalidInput, match="already"):
        auto_code(searched, "café", "2", coder="anouk", unit="sentence", options=options)
    undo(searched, "anouk")
    assert retrieve(searched, codes=["2"]) == []


def test_hits_in_one_sentence_give_one_quotation_of_it(searched: Project) -> None:
    # "caf" is in "Cafe en CAFÉ zijn één." twice; each sentence with a hit is quoted once.
    options = SearchOptions(ignore_case=True)
    done = auto_code(searched, "caf", "2", coder="anouk", unit="sentence", options=options)
    sentences = [
        sentence
        for text in TEXTS.values()
        for line in text.splitlines()
        for sentence in re.split(r"(?<=[.?!])\s+", line[3:])
    ]
    with_hits = [s for s in sentences if re.search("caf", s, re.IGNORECASE)]
    assert done.hits == _plain("caf", re.IGNORECASE) == 6
    assert done.quotations == len(with_hits) == 5
    assert sorted(r.text for r in retrieve(searched, codes=["2"])) == sorted(with_hits)
    # A hit running on into the next sentence and a hit in that sentence: one passage.
    undo(searched, "anouk")
    options = SearchOptions(regex=True, ignore_case=True)
    done = auto_code(
        searched, r"dicht\. cafe|één", "2", coder="anouk", unit="sentence", options=options
    )
    assert (done.hits, done.quotations) == (2, 1)
    (row,) = retrieve(searched, codes=["2"])
    assert row.text == "Het café is dicht. Cafe en CAFÉ zijn één."


def test_the_sentence_unit_codes_what_s_selects(searched: Project) -> None:
    # The sentence `s` selects leaves the speaker label out; auto-coding the same sentence
    # adds its code to that quotation instead of quoting "R: Het café is dicht." again.
    text = TEXTS["R01"]
    sentence = sentence_at(text, text.index("dicht"))
    assert text[slice(*sentence)] == "Het café is dicht."
    code_passage(searched, "R01", ["12"], span=sentence, coder="anouk")
    options = SearchOptions(ignore_case=True, whole_word=True)
    done = auto_code(searched, "café", "2", coder="anouk", unit="sentence", options=options)
    assert (done.quotations, done.added_to) == (3, 1)
    spans = [(r.document, r.start, r.end) for r in retrieve(searched, codes=["2"])]
    assert ("R01", *sentence) in spans
    for name, start, end in spans:  # each sentence starts after the label, as `s` has it
        assert (start, end) == sentence_at(TEXTS[name], start)


def test_turn_and_paragraph_units_and_the_command(searched: Project, run: Runner) -> None:
    turn = auto_code(searched, "dicht", "12", coder="bart", unit="turn")
    assert turn.quotations == 1
    (row,) = retrieve(searched, codes=["12"])
    assert row.text == TEXTS["R01"].split("\n")[1][3:]
    result = run("search", "café", "-i", "-p", searched.location, "--format", "csv")
    assert result.code == 0 and result.stdout.count("\n") == 1 + _plain("café", re.IGNORECASE)
    coded = run(
        "search",
        "Dank",
        "-p",
        searched.location,
        "--code",
        "20",
        "--coder",
        "anouk",
        "--unit",
        "paragraph",
    )
    assert coded.code == 0 and "1 new quotation" in coded.stderr
    (dank,) = retrieve(searched, codes=["20"])
    assert dank.text == "Dank."


@pytest.mark.parametrize("pattern", ["café", "Café", "(wijk)", "-huis", "a.b", "één"])
def test_whole_word_plain_text_finds_what_the_plain_lookaround_finds(pattern: str) -> None:
    """The fast form of a whole-word search (look-behind after the text) finds the same."""
    from workbench.domain.search import compile_search

    text = "Het café, Café-bar en cafés; (wijk) x(wijk) -huis a-huis a.b xa.b één éénmaal"
    for ignore_case in (False, True):
        flags = re.IGNORECASE if ignore_case else 0
        plain = re.compile(rf"(?<!\w){re.escape(pattern)}(?!\w)", flags)
        ours = compile_search(pattern, whole_word=True, ignore_case=ignore_case)
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in plain.finditer(text)]


FOLDING = (
    "aAbBkKsSiIyYeEéÉëËüÜµßÿ -.x\u212a\u017f\u0130\u0131\u1e9e\u039c\u03bc\u0178\u03c3\u03c2\u03a3"
)


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_case_folding_finds_what_the_regex_finds(seed: int) -> None:
    """Plain text ignoring case is searched in folded Latin-1 bytes; every hit must be
    the regex's, in Latin-1 texts and in others, for letters that fold across (Kelvin
    sign, long s, dotted I, sharp s, micro sign, y with diaeresis, sigma)."""
    import random

    from workbench.domain.search import compile_finder, compile_search

    rng = random.Random(seed)
    latin_1 = [c for c in FOLDING if ord(c) < 256]
    for _ in range(300):
        alphabet = latin_1 if rng.random() < 0.5 else list(FOLDING)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        pattern = "".join(rng.choice(FOLDING) for _ in range(rng.randint(1, 3)))
        if not pattern.strip(" -.x"):
            continue
        for whole_word in (False, True):
            for ignore_case in (False, True):
                options = {"whole_word": whole_word, "ignore_case": ignore_case}
                plain = compile_search(pattern, **options)
                finder = compile_finder(pattern, **options)
                assert list(finder.spans(text)) == [m.span() for m in plain.finditer(text)], (
                    pattern,
                    text,
                    options,
                )
    fast = compile_finder("buurthuis", whole_word=True, ignore_case=True)
    assert fast.folded is not None  # the fast form is the one tried above
    text = "Buurthuis, BUURTHUIS en buurthuizen; het buurthuis\u017f"
    assert [text[s:e] for s, e in fast.spans(text)] == ["Buurthuis", "BUURTHUIS"]
