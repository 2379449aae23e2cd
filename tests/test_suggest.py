"""Suggested codes: learnt from the project's own coded quotations, offline, shown and
never applied by themselves; the command, the kept model and the workbench's S and L."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.conftest import Runner
from tests.helpers import small_codebook, write
from tests.test_tui import messages, settle
from workbench.domain.errors import InvalidInput
from workbench.services import suggest
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.suggest import Example, train, uncoded_passages
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import CodePicker
from workbench.tui.more_like import MoreLikeScreen
from workbench.tui.panels import CodeTree

CODED = (
    "I: Wat verstaat u onder collectief werken?\n"
    "R: Dat je vragen van bewoners bij elkaar brengt in een groep in de wijk.\n"
    "I: En wat houdt u tegen?\n"
    "R: De caseload is veel te hoog en er is geen tijd voor groepswerk.\n"
    "I: Welke partners kent u?\n"
    "R: Ik ken het buurthuis, de bibliotheek en de voedselbank in de wijk.\n"
    "I: Waar liggen kansen?\n"
    "R: De nieuwe wijkcoach biedt kansen om bewoners samen te laten koken.\n"
)
UNCODED = (
    "I: Hoe gaat het met het werk?\n"
    "R: De caseload is echt veel te hoog en er is geen tijd voor groepswerk.\n"
    "R: Ik ken het buurthuis en de voedselbank in de wijk heel goed.\n"
    "I: Nog iets?\n"
    "R: Nee.\n"
)
# Sentence 2, 4, 6 and 8 of CODED (each a speaker's answer) and the code they get.
ANSWERS = {1: "9", 3: "2", 5: "20", 7: "12"}


def answer_span(text: str, line: int) -> tuple[int, int]:
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[:line]) + len("R: ")
    return start, start + len(lines[line]) - len("R: ")


def build(project: Project, folder: Path, *, coded: bool = True) -> None:
    load_codebook(project, small_codebook(folder))
    import_transcripts(
        project, [write(folder / "R01.txt", CODED), write(folder / "R02.txt", UNCODED)]
    )
    if coded:
        for line, code in ANSWERS.items():
            code_passage(project, "R01", [code], span=answer_span(CODED, line), coder="anouk")


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    build(project, tmp_path)
    return project


# --- the suggester: pure functions ----------------------------------------------------


def test_a_passage_nearly_the_same_as_a_coded_one_gets_its_code_first() -> None:
    model = train(
        [
            Example("De caseload is veel te hoog en er is geen tijd voor groepswerk.", 2),
            Example("Ik ken het buurthuis, de bibliotheek en de voedselbank.", 20),
            Example("Dat je vragen van bewoners bij elkaar brengt in een groep.", 9),
        ]
    )
    (found,) = model.suggest(["De caseload is echt te hoog, geen tijd voor groepswerk."], 3)
    assert found[0].code_id == 2
    assert 0 < found[-1].score <= found[0].score <= 1
    scores = model.rank(20, ["de voedselbank en het buurthuis", "de caseload is te hoog"])
    assert scores[0] > scores[1]


def test_passages_are_sentences_or_turns_without_labels_and_leave_out_the_coded() -> None:
    turns = [(0, 42, "I"), (43, 115, "R")]
    text = CODED[:115]
    sentences = uncoded_passages(text, turns, min_words=1)
    assert [p.text for p in sentences] == [
        "Wat verstaat u onder collectief werken?",
        "Dat je vragen van bewoners bij elkaar brengt in een groep in de wijk.",
    ]
    assert text[sentences[1].start : sentences[1].end] == sentences[1].text
    assert [p.text for p in uncoded_passages(text, turns, [(50, 60)], unit="turn")] == [
        "Wat verstaat u onder collectief werken?"
    ]
    # A subtitle cue's timestamp and label are not part of the passage.
    cue = "[00:00:01.000] R: Dat is een goede vraag, denk ik.\n"
    (passage,) = uncoded_passages(cue, [(0, len(cue), "R")])
    assert (passage.start, passage.text) == (18, "Dat is een goede vraag, denk ik.")
    # A pause written (...) ends no sentence; three words are too few by default.
    assert [p.text for p in uncoded_passages("Eh (...) ja, dat denk ik wel. Ja zeker.")] == [
        "Eh (...) ja, dat denk ik wel."
    ]


def test_a_passage_is_left_out_exactly_when_a_coded_span_overlaps_it() -> None:
    rng = random.Random(3)
    text = " ".join(f"Zin nummer {n} gaat over de wijk." for n in range(60))
    every = uncoded_passages(text, min_words=1)
    for _ in range(50):
        coded = [(a, a + rng.randint(1, 80)) for a in rng.sample(range(len(text) - 80), 6)]
        expected = [p for p in every if not any(s < p.end and p.start < e for s, e in coded)]
        assert uncoded_passages(text, coded=coded, min_words=1) == expected
    first = every[0]  # a span that only touches a passage leaves it in
    assert uncoded_passages(text, coded=[(first.end, first.end + 1)], min_words=1)[0] == first


def test_the_suggester_runs_with_the_network_disabled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the suggester tried to use the network")

    class Refused(socket.socket):  # a class still, since ssl subclasses socket.socket
        def __init__(self, *_args: Any, **_kwargs: Any) -> None:
            refuse()

    # A fresh interpreter, so that loading scikit-learn is checked too.
    code = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise SystemExit("network used")
        class Refused(socket.socket):
            def __init__(self, *args, **kwargs):
                refuse()
        socket.socket = Refused
        socket.create_connection = refuse
        from workbench.suggest import Example, train
        model = train([Example("de caseload is te hoog", 2), Example("het buurthuis", 20)])
        print(model.suggest(["caseload te hoog"], 1)[0][0].code_id)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0 and done.stdout.strip() == "2", done.stderr
    # And in this process, the whole service on a SQLite project (a file, no socket).
    with open_project(str(tmp_path / "offline.db")) as project:
        build(project, tmp_path)
        monkeypatch.setattr(socket, "socket", Refused)
        monkeypatch.setattr(socket, "create_connection", refuse)
        found = suggest.suggest_document(project, "R02")
    assert found[1].text.startswith("De caseload") and found[1].codes[0].code.number == 2


def test_loading_the_service_does_not_load_scikit_learn() -> None:
    from tests.test_architecture import _loaded

    assert _loaded("import workbench.services.suggest", ("sklearn", "numpy")) == []


# --- the service, on SQLite and PostgreSQL ----------------------------------------------


def test_suggestions_for_a_document_are_its_uncoded_passages(coded: Project) -> None:
    found = suggest.suggest_document(coded, "R02", top=2)
    assert [p.text for p in found] == [
        "Hoe gaat het met het werk?",
        "De caseload is echt veel te hoog en er is geen tijd voor groepswerk.",
        "Ik ken het buurthuis en de voedselbank in de wijk heel goed.",
    ]
    assert found[1].codes[0].code.number == 2
    assert found[2].codes[0].code.number == 20
    assert all(len(p.codes) <= 2 for p in found)
    # The coded document's answers are coded already: only the questions are left
    # (of four words or more: not "Waar liggen kansen?").
    left = suggest.suggest_document(coded, "R01", coders=["anouk"])
    assert [p.text[:4] for p in left] == ["Wat ", "En w", "Welk"]


def test_more_like_a_code_ranks_uncoded_passages_across_documents(coded: Project) -> None:
    found = suggest.more_like(coded, "2")
    assert found[0].document == "R02"
    assert found[0].text.startswith("De caseload is echt")
    scores = [p.codes[0].score for p in found]
    assert scores == sorted(scores, reverse=True)
    code_passage(coded, "R02", ["9"], span=answer_span(UNCODED, 2), coder="bart")
    with pytest.raises(InvalidInput, match="'20 Sociale kaart' has no quotations of bart"):
        suggest.more_like(coded, "20", coders=["bart"])


def test_the_model_is_kept_until_the_coding_changes(coded: Project) -> None:
    first = suggest.training_set(coded)
    model = suggest.trained(first)
    assert suggest.trained(suggest.training_set(coded)) is model
    start, end = answer_span(UNCODED, 1)
    code_passage(coded, "R02", ["2"], span=(start, end), coder="anouk")
    second = suggest.training_set(coded)
    assert len(second.examples) == len(first.examples) + 1
    assert suggest.trained(second) is not model


def test_a_project_without_coding_gets_a_message(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path, coded=False)
    with pytest.raises(InvalidInput, match="no coded quotations of every coder"):
        suggest.suggest_document(project, "R02")
    with pytest.raises(InvalidInput, match="no coded quotations of the final coding"):
        suggest.more_like(project, "2", final=True)


# --- the command ------------------------------------------------------------------------


def test_the_command_lists_suggestions_and_refuses_without_coding(
    run: Runner, tmp_path: Path
) -> None:
    location = str(tmp_path / "cli.db")
    with open_project(location) as project:
        build(project, tmp_path, coded=False)
    empty = run("-p", location, "suggest", "R02")
    assert empty.code == 1 and "no coded quotations" in empty.stderr and not empty.stdout
    with open_project(location) as project:
        for line, code in ANSWERS.items():
            code_passage(project, "R01", [code], span=answer_span(CODED, line), coder="anouk")
    listed = run("-p", location, "suggest", "R02", "--coder", "anouk", "--format", "json")
    assert listed.code == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows[1]["suggested"].startswith("2 Belemmeringen collectief werken (")
    assert rows[1]["text"].startswith("De caseload")
    more = run("-p", location, "suggest", "--code", "20", "--limit", "1", "--format", "csv")
    assert more.code == 0, more.stderr
    assert "voedselbank" in more.stdout.splitlines()[1]
    both = run("-p", location, "suggest", "R02", "--code", "2")
    assert both.code == 1 and "not both" in both.stderr
    with open_project(location) as project:
        assert len(codings_table(project)) == 4  # suggesting coded nothing


# --- the workbench: S in the code picker, L's screen ------------------------------------


@pytest.fixture
def workbench_project(tmp_path: Path) -> Iterator[Project]:
    with open_project(str(tmp_path / "tui.db")) as opened:
        build(opened, tmp_path)
        yield opened


async def open_second_document(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot)
    app.query_one("#documents").focus()
    await pilot.press("down", "enter")
    await settle(app, pilot)
    assert app.document is not None and app.document.name == "R02"


async def test_s_puts_the_suggested_codes_first_in_the_picker(workbench_project: Project) -> None:
    app = make_app(workbench_project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_second_document(app, pilot)
        line = UNCODED.index("De caseload")
        app.transcript.cursor = line + 5
        await pilot.press("S")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert picker.shown[0].number == 2
        first = str(picker.query_one(OptionList).get_option_at_index(0).prompt)
        assert first.startswith("★ 2 Belemmeringen") and "suggested, 0." in first
        await pilot.press("enter")
        await settle(app, pilot)
    rows = [r for r in codings_table(workbench_project) if r["document"] == "R02"]
    assert [(r["code"], r["start"]) for r in rows] == [("Belemmeringen collectief werken", line)]


async def test_l_walks_passages_like_a_code_accept_skip_and_undo(
    workbench_project: Project,
) -> None:
    app = make_app(workbench_project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_second_document(app, pilot)
        tree = app.query_one(CodeTree)
        tree.focus()
        node = next(n for n in tree._all_nodes() if n.data and n.data.number == 20)
        tree.move_cursor(node)
        await pilot.press("L")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MoreLikeScreen)
        assert screen.passages[0].text.startswith("Ik ken het buurthuis en de voedselbank")
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.index == 1 and screen.decided == {0: "coded"}
        coded = [r for r in codings_table(workbench_project) if r["document"] == "R02"]
        assert [r["code"] for r in coded] == ["Sociale kaart"]
        await pilot.press("n")
        assert screen.decided[1] == "skipped"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert screen.index == 0 and 0 not in screen.decided
        assert not [r for r in codings_table(workbench_project) if r["document"] == "R02"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, MoreLikeScreen)


async def test_s_and_l_explain_what_they_need(tmp_path: Path) -> None:
    with open_project(str(tmp_path / "empty.db")) as project:
        build(project, tmp_path, coded=False)
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("S")
            assert "Open a document first" in messages(app)[-1]
            await open_second_document(app, pilot)
            await pilot.press("S")
            await settle(app, pilot)
            assert "no coded quotations" in messages(app)[-1]
            assert not isinstance(app.screen, CodePicker)
