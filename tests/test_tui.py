"""The terminal workbench driven through Textual's Pilot, on a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Tree

from tests.helpers import INTERVIEW, small_codebook, workers_done, write
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.compare import CompareScreen, DisagreementScreen
from workbench.tui.dialogs import Ask, CodePicker, Confirm, KeysHelp
from workbench.tui.merge import MergeScreen
from workbench.tui.panels import CodeTree
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.transcript import TranscriptView


@pytest.fixture
def project(tmp_path: Path) -> Project:
    with open_project(str(tmp_path / "tui.db")) as opened:
        load_codebook(opened, small_codebook(tmp_path))
        import_transcripts(opened, [write(tmp_path / "R01.txt", INTERVIEW)])
        yield opened


async def settle(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    """Let the database workers finish and the screen catch up."""
    for _ in range(4):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def messages(app: WorkbenchApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def count_label(app: WorkbenchApp, number: int) -> str:
    code = next(c for c in app.codes if c.number == number)
    return app.query_one(CodeTree).label_of(code.id)


async def open_first_document(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot)
    app.query_one("#documents").focus()
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.document is not None and app.document.name == "R01"


async def test_open_select_by_keyboard_and_code_through_the_picker(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        assert isinstance(app.focused, TranscriptView)
        assert count_label(app, 12).endswith("(0)")
        await pilot.press("v", *["right"] * 10, "v")
        assert app.transcript.selection == (0, 10)
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press("k", "a", "n", "s", "enter")
        await settle(app, pilot)
        assert count_label(app, 12).endswith("(1)")
        table = app.query_one(QuotationTable)
        assert [q.codes[0].label for q in table.quotations] == [
            "12 Kansen/mogelijkheden collectief werken"
        ]
    (row,) = codings_table(project)
    assert (row["start"], row["end"], row["coder"]) == (0, 10, "anouk")


async def test_undo_and_redo_keys(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        await pilot.press("w", "c", "2", "enter")
        await settle(app, pilot)
        assert count_label(app, 2).endswith("(1)")
        assert "→ quotation" in str(app.query_one("#status").render())
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert count_label(app, 2).endswith("(0)")
        assert codings_table(project) == []
        # the status line no longer claims the coding that was taken back (defect 10)
        status = str(app.query_one("#status").render())
        assert "→ quotation" not in status and "undone:" in status
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert count_label(app, 2).endswith("(1)")
    # Undo survives a restart: a new session can still undo the redone coding.
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
    assert codings_table(project) == []


async def test_turn_selection_and_applying_the_last_code_again(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        second_turn = INTERVIEW.splitlines()[1]
        start = INTERVIEW.index(second_turn)
        while app.transcript.cursor < start:
            await pilot.press("down")
        await pilot.press("t")
        assert app.transcript.selection == (start, start + len(second_turn))
        await pilot.press("c", "s", "o", "c", "i", "a", "l", "enter")
        await settle(app, pilot)
        fourth_turn = INTERVIEW.index(INTERVIEW.splitlines()[3])
        while app.transcript.cursor < fourth_turn:
            await pilot.press("down")
        await pilot.press("t", "full_stop")
        await settle(app, pilot)
        assert count_label(app, 20).endswith("(2)")


async def test_other_coders_quotations_only_after_the_toggle(project: Project) -> None:
    code_passage(project, "R01", ["2"], span=(0, 10), coder="bart")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        table = app.query_one(QuotationTable)
        assert table.quotations == []
        assert count_label(app, 2).endswith("(0)")
        await pilot.press("o")
        await settle(app, pilot)
        assert [q.coder for q in table.quotations] == ["bart"]
        assert count_label(app, 2).endswith("(1)")
        assert "others: shown" in str(app.query_one("#status").render())


async def test_bad_actions_explain_and_change_nothing(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker) and app.screen.refusal
        assert any("Select a passage first" in m for m in messages(app))
        await pilot.press("escape", "w", "c", "z", "z", "z", "z", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CodePicker)
        assert any("No code matches" in m for m in messages(app))
        await pilot.press("escape")
        await pilot.press("full_stop")
        assert any("No code used yet" in m for m in messages(app))
    assert codings_table(project) == []


async def test_the_coder_is_asked_once_and_remembered(project: Project) -> None:
    app = make_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, Ask)
        assert app.screen.placeholder == "for example your first name"
        await pilot.press(*"carla", "enter")
        await settle(app, pilot)
        # a name the project does not know is a new coder: asked before it is made
        assert isinstance(app.screen, Confirm) and "new coder 'carla'" in app.screen.question
        await pilot.press("n")  # a typo, say: asked again, nobody made
        await settle(app, pilot)
        assert isinstance(app.screen, Ask) and app.coder == ""
        await pilot.press(*"carla", "enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.coder == "carla"
    app = make_app(project)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, Ask)
        assert "coder: carla" in str(app.query_one("#status").render())


async def test_quotation_list_comment_delete_and_code_quotations(project: Project) -> None:
    code_passage(project, "R01", ["2", "12"], span=(0, 10), coder="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        app.query_one(QuotationTable).focus()
        await pilot.press("m", *"belangrijk", "enter")
        await settle(app, pilot)
        assert app.query_one(QuotationTable).quotations[0].comment == "belangrijk"
        await pilot.press("x")  # two codes: a picker asks which
        assert isinstance(app.screen, CodePicker)
        await pilot.press("1", "2", "enter")
        await settle(app, pilot)
        assert [c.label for c in app.query_one(QuotationTable).quotations[0].codes] == [
            "2 Belemmeringen collectief werken"
        ]
        await pilot.press("delete")
        await settle(app, pilot)
        assert app.query_one(QuotationTable).quotations == []
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(app.query_one(QuotationTable).quotations) == 1


async def test_quotations_of_a_code_and_jump_to_text(project: Project) -> None:
    code_passage(project, "R01", ["20"], span=(44, 60), coder="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_code(app, pilot, "Sociale kaart")
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.query_one(QuotationTable)
        assert [(q.document, q.start) for q in table.quotations] == [("R01", 44)]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.document is not None and app.transcript.selection == (44, 60)


async def test_find_text_and_next_quotation(project: Project) -> None:
    code_passage(project, "R01", ["2"], span=(20, 30), coder="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        await pilot.press("slash", *"caseload", "enter")
        await settle(app, pilot)
        start = INTERVIEW.index("caseload")
        assert app.transcript.selection == (start, start + len("caseload"))
        await pilot.press("right_square_bracket")
        # No quotation after the match: the next one is the first, selected.
        assert app.transcript.selection == (20, 30)


async def test_help_and_command_palette_list_every_action(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, KeysHelp)
        keys = {(row[0], row[1]) for row in app.screen.rows}
        assert {("anywhere", "c"), ("anywhere", "."), ("text", "t"), ("codes", "a")} <= keys
        assert ("quotations", "del") in keys
        assert all(row[2] for row in app.screen.rows)
        await pilot.press("escape")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Code", "Undo", "Redo", "Others", "Find"} <= titles
        assert {"Text: Turn", "Codes: Add code", "Quotations: Delete"} <= titles


async def test_small_terminal_and_resize(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_document(app, pilot)
        narrow = app.query_one("#sidebar").size.width
        await pilot.resize_terminal(140, 40)
        await settle(app, pilot)
        assert app.query_one("#sidebar").size.width > narrow
        assert app.transcript._text_width() > 40


async def test_several_codes_on_one_selection_and_switching_coder(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        await pilot.press("p", "c", "1", "2", "enter")
        await settle(app, pilot)
        await pilot.press("c", "9", "enter")  # the selection is still there
        await settle(app, pilot)
        (quotation,) = app.query_one(QuotationTable).quotations
        assert sorted(c.label.split()[0] for c in quotation.codes) == ["12", "9"]
        await pilot.press("u", *["backspace"] * 5, *"bart", "enter")
        await settle(app, pilot)
        await pilot.press("y")  # bart is new to this project
        await settle(app, pilot)
        assert app.coder == "bart"
        await pilot.press("u", *["backspace"] * 4, *"ANOUK ", "enter")
        await settle(app, pilot)
        assert app.coder == "anouk"  # a known coder, whatever the case: no question
        await pilot.press("u", *["backspace"] * 5, *"bart", "enter")
        await settle(app, pilot)
        assert app.query_one(QuotationTable).quotations == []
        await pilot.press("o")
        await settle(app, pilot)
        assert [q.coder for q in app.query_one(QuotationTable).quotations] == ["anouk"]


async def select_code(app: WorkbenchApp, pilot: Pilot[None], name: str) -> None:
    tree = app.query_one(CodeTree)
    tree.focus()
    line = next(i for i in range(tree.last_line + 1) if name in str(tree.get_node_at_line(i).label))
    tree.move_cursor_to_line(line)
    await pilot.pause()


async def test_merge_and_delete_from_the_tree_panel_and_undo(project: Project) -> None:
    code_passage(project, "R01", ["2", "12"], span=(0, 10), coder="anouk")
    code_passage(project, "R01", ["2"], span=(20, 30), coder="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_code(app, pilot, "Belemmeringen")
        await pilot.press("m")
        assert isinstance(app.screen, CodePicker)
        await pilot.press("1", "2", "enter")
        await settle(app, pilot)
        # a merge says what it will do and asks, like a delete (defect 3)
        assert isinstance(app.screen, Confirm)
        assert "Its 2 quotation(s) get 12" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert any(c.number == 2 for c in app.codes)  # nothing merged
        await pilot.press("m", "1", "2", "enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not any(c.number == 2 for c in app.codes)
        assert count_label(app, 12).endswith("(2)")  # the shared quotation counts once
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert count_label(app, 2).endswith("(2)") and count_label(app, 12).endswith("(1)")
        await select_code(app, pilot, "Sociale kaart")
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        assert "0 quotation(s) lose it" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert not any(c.number == 20 for c in app.codes)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any(c.number == 20 for c in app.codes)


async def test_compare_coders_walk_disagreements_and_build_a_consensus(project: Project) -> None:
    code_passage(project, "R01", ["2"], span=(0, 20), coder="anouk")
    code_passage(project, "R01", ["2"], span=(10, 30), coder="bart")
    code_passage(project, "R01", ["12"], span=(40, 50), coder="anouk")
    code_passage(project, "R01", ["12"], span=(40, 50), coder="bart")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, Ask) and app.screen.value == "anouk, bart"
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.table is not None
        grid = screen.query_one(DataTable)
        first = str(grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value)
        assert first.strip() == "Belemmeringen collectief werken"  # least agreement first
        await pilot.press("enter")
        await settle(app, pilot)
        browser = app.screen
        assert isinstance(browser, DisagreementScreen)
        assert [(p.start, p.end) for p in browser.passages] == [(0, 30)]
        await pilot.press("u")  # one quotation over both coders' spans
        await settle(app, pilot)
        assert browser.passages[0].decision == "union"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("enter")  # back to the same code: its decision is shown
        await settle(app, pilot)
        browser = app.screen
        assert isinstance(browser, DisagreementScreen)
        assert "decided: union" in str(browser.query_one("#passage-status").render())
        await pilot.press("a")  # change it: anouk's coding replaces the union
        await settle(app, pilot)
        assert browser.passages[0].decision == "a"
        assert [(r["start"], r["end"]) for r in codings_table(project, coders=["consensus"])] == [
            (0, 20)
        ]
        await pilot.press("ctrl+z")  # undo the change of decision
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f", *"R01", "enter")  # choose the documents
        await settle(app, pilot)
        assert screen.documents == ["R01"] and screen.table.documents == ("R01",)
        await settle(app, pilot)
        assert "Against the consensus" in str(screen.query_one("#compare-consensus").render())
    consensus = [(r["start"], r["end"]) for r in codings_table(project, coders=["consensus"])]
    assert consensus == [(0, 30)]


async def test_merge_two_trees_in_the_workbench(project: Project, tmp_path: Path) -> None:
    load_codebook(project, small_codebook(tmp_path), tree="anouk")
    bart = write(
        tmp_path / "bart.codebook", "tree: bart\n\n- Belemeringen collectief werken\n- Bijvangst\n"
    )
    load_codebook(project, bart)
    code_passage(project, "R01", ["Bijvangst"], span=(0, 9), coder="bart", tree="bart")
    code_passage(project, "R01", ["2"], span=(10, 20), coder="anouk", tree="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("J")
        await settle(app, pilot)
        assert isinstance(app.screen, Ask) and app.screen.value == "anouk, bart"
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MergeScreen)
        pair = next(i for i, r in enumerate(screen.rows) if r.b_code.startswith("Belemeringen"))
        assert screen.rows[pair].decision == "merge"
        labels = {str(n.label) for n in screen.query_one(Tree).root.children}
        assert "Bijvangst (1)" in labels
        screen.query_one(DataTable).move_cursor(row=pair)
        await pilot.press("x")  # reject: keep both apart
        await settle(app, pilot)
        assert screen.rows[pair].decision == "keep"
        await pilot.press("a")  # accept again
        await settle(app, pilot)
        await pilot.press("ctrl+a", "y")
        await settle(app, pilot)
        assert not isinstance(app.screen, MergeScreen)
    joint = {line.code.name: line.citations for line in show_tree(project, tree="anouk+bart")}
    assert joint["Belemmeringen collectief werken"] == 1 and joint["Bijvangst"] == 1


async def test_an_unexpected_failure_is_shown_and_the_session_goes_on(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.services import coding

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        monkeypatch.setattr(coding, "code_passage", broken)
        await pilot.press("w", "c", "2", "enter")
        await settle(app, pilot)
        assert any("Unexpected error (RuntimeError: disk on fire)" in m for m in messages(app))
        assert app.is_running
    assert codings_table(project) == []


async def test_add_and_rename_codes_from_the_tree_panel(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_code(app, pilot, "Sociale kaart")
        await pilot.press("a", *"Bijvangst", "enter")  # goes under the code's group
        await settle(app, pilot)
        added = next(c for c in app.codes if c.name == "Bijvangst")
        kennis = next(c for c in app.codes if c.name == "Kennis")
        assert added.parent_id == kennis.id
        await select_code(app, pilot, "Bijvangst")
        await pilot.press("r", *["backspace"] * 9, *"Restcategorie", "enter")
        await settle(app, pilot)
        assert "Restcategorie" in {c.name for c in app.codes}
        assert "Bijvangst" not in {c.name for c in app.codes}


async def test_a_code_added_in_the_workbench_can_be_applied_by_its_number(
    project: Project,
) -> None:
    highest = max(line.code.number or 0 for line in show_tree(project))
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        app.query_one(CodeTree).focus()
        await pilot.press("a", *"Bijvangst", "enter")
        await settle(app, pilot)
        app.transcript.focus()
        await pilot.press("v", *["right"] * 10, "v", "c", *str(highest + 1), "enter")
        await settle(app, pilot)
    (row,) = codings_table(project)
    assert row["code"] == "Bijvangst"


async def test_merging_trees_explains_what_it_needs(project: Project, tmp_path: Path) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("J")  # one tree only: says why, and how to get a second
        await settle(app, pilot)
        assert not isinstance(app.screen, Ask)
        assert any("needs two code trees" in m for m in messages(app))
    load_codebook(project, small_codebook(tmp_path), tree="bart")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("J")
        await settle(app, pilot)
        assert isinstance(app.screen, Ask)
        await pilot.press(*["backspace"] * 30, *"bart, Bart", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, MergeScreen)
        assert any("two or more different trees" in m for m in messages(app))
