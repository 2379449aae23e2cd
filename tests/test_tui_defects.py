"""Pilot tests for the defects of issue 13, each one a thing a coder would notice."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static
from textual.widgets._footer import FooterKey

from tests.helpers import settle as _settle
from tests.helpers import small_codebook, workers_done, write
from tests.helpers import tui_project as _project
from workbench.domain.text import sentences_in
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.tui.app import make_app
from workbench.tui.dialogs import Ask, CodePicker, Confirm, KeysHelp
from workbench.tui.panels import CodeTree


class _AskApp(App[None]):
    answer: str | None = "unset"

    def on_mount(self) -> None:
        def keep(value: str | None) -> None:
            self.answer = value

        self.push_screen(Ask("Rename code", value="Tijdsdruk"), keep)


async def test_defect_12_typing_in_a_prefilled_input_extends_the_name() -> None:
    app = _AskApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s", "enter")
        await pilot.pause()
    assert app.answer == "Tijdsdruks"


async def test_defect_7_escape_at_the_first_coder_question_leaves_a_usable_workbench(
    tmp_path: Path,
) -> None:
    with open_project(str(tmp_path / "p.db")) as project:
        load_codebook(project, small_codebook(tmp_path))
        import_transcripts(project, [write(tmp_path / "R01.txt", "I: Hoe gaat het?\nR: Goed.\n")])
        code_passage(project, "R01", ["2"], span=(0, 16), coder="bart")
        app = make_app(project)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await workers_done(app)
            assert isinstance(app.screen, Ask)
            await pilot.press("escape")
            for _ in range(3):
                await pilot.pause()
                await workers_done(app)
            shown = [n.message for n in app._notifications]
            assert not any("no coder" in m for m in shown), shown
            assert any("press u" in m for m in shown)
            # the documents are listed, as with a coder
            assert app.query_one("#documents", DataTable).row_count == 1
            # and a document opened shows the quotations there are (everyone's)
            app.query_one("#documents").focus()
            await pilot.press("enter")
            for _ in range(3):
                await pilot.pause()
                await workers_done(app)
            assert app.document is not None and app.document.name == "R01"
            assert [(q.start, q.end) for q in app.quotation_table.quotations] == [(0, 16)]


class _ConfirmApp(App[None]):
    CSS_PATH = "../workbench/tui/workbench.tcss"
    QUESTION = (
        "Delete code 9 Definitie collectief werken? 7 quotations lose it, of which 5 keep no "
        "code and are deleted with it (undo brings them back)."
    )

    def on_mount(self) -> None:
        self.push_screen(Confirm(self.QUESTION))


async def test_defect_6_a_long_question_wraps_instead_of_being_cut() -> None:
    app = _ConfirmApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        question = app.screen.query(Label).first()
        assert str(question.render()) == _ConfirmApp.QUESTION
        # the whole question fits: it wraps over lines inside the dialog
        assert question.size.height >= 2
        assert question.region.right <= app.screen.query_one("#ask").region.right


async def _open_first(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    pilot.app.query_one("#documents").focus()
    await pilot.press("enter")
    await _settle(pilot)


async def test_defect_11_keys_after_a_refused_c_do_not_run_commands(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open_first(pilot)
            # nothing selected: `c` is refused, but the name typed after it ("g" is
            # compare, "o" shows others) goes into the picker, not to the workbench
            await pilot.press("c", "g", "o", "k", "a", "n", "s")
            await _settle(pilot)
            assert isinstance(app.screen, CodePicker)
            assert not app.show_others
            await pilot.press("enter")
            await _settle(pilot)
            assert not isinstance(app.screen, CodePicker)
            assert any("Select a passage first" in n.message for n in app._notifications)
            assert codings_table(project) == []
            # the refused picker kept what was typed: select, `c`, fix it, Enter
            await pilot.press("w", "c")
            await pilot.pause()
            assert isinstance(app.screen, CodePicker)
            assert app.screen.query_one(Input).value == "gokans"
            await pilot.press(*["backspace"] * 6, "k", "a", "n", "s", "enter")
            await _settle(pilot)
        (row,) = codings_table(project)
        assert row["code"] == "Kansen/mogelijkheden collectief werken"


VERBATIM = "I: Hoe was het?\nR: Eh (...) ja. Nou, ... dat (.) weet ik niet.\n\nR: Goed.\n"


async def test_defect_4_word_and_sentence_selection_on_verbatim_text(tmp_path: Path) -> None:
    with _project(tmp_path, VERBATIM) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(160, 45)) as pilot:
            await _open_first(pilot)
            view = app.transcript

            def selected() -> str:
                assert view.selection is not None
                return VERBATIM[view.selection[0] : view.selection[1]]

            # a pause (...) and an ellipsis do not end the sentence
            await pilot.press("down", "right", "right", "right", "s")
            assert selected() == "Eh (...) ja."
            await pilot.press("escape", *["right"] * 13, "s")
            assert selected() == "Nou, ... dat (.) weet ik niet."
            # `w` on a space takes the word after it, not the space
            await pilot.press("escape", "home", *["right"] * 5, "w")
            assert selected() == "ja"
            await pilot.press("escape", "home", *["right"] * 2, "w")
            assert selected() == "Eh"
            # at the end of a line, the last word, not the newline
            await pilot.press("escape", "end", "w")
            assert selected() == "niet"
            # on an empty line, `s` takes the next sentence instead of doing nothing
            await pilot.press("escape", "down", "home", "s")
            assert selected() == "Goed."


async def test_defect_2_a_second_code_on_a_quotation_is_visible(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        code_passage(project, "R01", ["12", "2"], span=(43, 60), coder="anouk")
        app = make_app(project, coder="anouk")
        for size in [(100, 30), (160, 45)]:
            async with app.run_test(size=size) as pilot:
                await _open_first(pilot)
                labels = [c.label for c in app.codes if c.number in (2, 12)]
                numbers = [label.split()[0] for label in labels]
                # the quotation list names both codes, the long one cut with an ellipsis
                row = app.quotation_table.render_line(1).text
                assert all(f" {n} " in f" {row}" or f"{n} " in row for n in numbers), row
                assert "…" in row or all(label in row for label in labels), row
                # the margin at the quotation's first line names both codes too
                view = app.transcript
                line = view._index.line_of(43)
                margin = view.render_line(line).text[-view.margin_width :]
                assert all(n in margin for n in numbers), margin
            app = make_app(project, coder="anouk")


async def test_defect_2_a_code_added_in_the_workbench_joins_its_quotation_in_the_margin(
    tmp_path: Path,
) -> None:
    with _project(tmp_path) as project:
        code_passage(project, "R01", ["12"], span=(43, 60), coder="anouk")
        code_passage(project, "R01", ["20"], span=(125, 150), coder="anouk")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(160, 45)) as pilot:
            await _open_first(pilot)
            app.query_one("#quotations").focus()
            await pilot.press("enter", "c", "2", "enter")
            await _settle(pilot)
            view = app.transcript
            margin = view.render_line(view._index.line_of(43)).text[-view.margin_width :]
            # one mark naming both codes, no stray bar of a quotation out of order
            assert margin.startswith("┌") and "12 " in margin and "2 B" in margin, margin
            assert [m.start for m in view.marks] == [43, 125]


async def test_defect_1_code_counts_always_show_and_the_side_panel_width_is_remembered(
    tmp_path: Path,
) -> None:
    with _project(tmp_path) as project:
        code_passage(project, "R01", ["12"], span=(43, 60), coder="anouk")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open_first(pilot)
            tree = app.query_one(CodeTree)
            lines = [tree.render_line(y).text.rstrip() for y in range(tree.last_line + 1)]
            assert lines and all(line.endswith(")") for line in lines), lines
            assert any("…" in line for line in lines), lines  # long names cut, not the count
            assert any("Kansen" in line and line.endswith("(1)") for line in lines), lines
            before = app.query_one("#sidebar").outer_size.width
            app.query_one("#codes").focus()
            await pilot.press("greater_than_sign", "greater_than_sign")
            await _settle(pilot)
            assert app.query_one("#sidebar").outer_size.width == before + 8
        # a new session opens with the width chosen
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            assert app.query_one("#sidebar").outer_size.width == before + 8
            await pilot.press("less_than_sign")
            await _settle(pilot)
            assert app.query_one("#sidebar").outer_size.width == before + 4


async def test_defect_5_help_code_and_undo_always_show_in_the_footer(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open_first(pilot)
            for panel in ["transcript", "codes", "quotations", "documents"]:
                app.query_one(f"#{panel}").focus()
                await _settle(pilot)
                keys = {key.action: key for key in app.screen.query(FooterKey)}
                for action in ["help", "apply_code", "undo"]:
                    region = keys[action].region
                    assert region.width > 0 and region.right <= 100 - 12, (panel, action)


async def test_defect_6_help_lines_wrap_instead_of_being_cut(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            await pilot.press("f1")
            await _settle(pilot)
            assert isinstance(app.screen, KeysHelp)
            table = app.screen.query_one(DataTable)
            # the table is no wider than what it is shown in: nothing is cut at the right
            assert table.virtual_size.width <= table.scrollable_content_region.width
            what = list(table.columns.values())[-1].get_render_width(table) - 2
            long = [row for row in app.screen.rows if len(row[2]) > what]
            assert long  # some tooltips are longer than a line: they take more lines
            heights = [row.height for row in table.rows.values()]
            assert sum(1 for height in heights if height > 1) >= len(long)


async def test_defect_10_status_after_undo_and_end_in_documents(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        for number in range(2, 9):
            write(tmp_path / f"R0{number}.txt", f"R: Gesprek nummer {number}.\n")
        import_transcripts(project, [tmp_path / f"R0{n}.txt" for n in range(2, 9)])
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open_first(pilot)
            await pilot.press("w", "c", "k", "a", "n", "s", "enter")
            await _settle(pilot)
            status = app.query_one("#status", Static)
            assert "→ quotation" in str(status.render())
            await pilot.press("ctrl+z")
            await _settle(pilot)
            # the status names the undo, not the coding it took back
            assert "→ quotation" not in str(status.render())
            assert "undone" in str(status.render())
            table = app.query_one("#documents", DataTable)
            table.focus()
            await pilot.press("end")
            await _settle(pilot)
            assert table.cursor_row == table.row_count - 1
            assert table.scroll_offset.x == 0  # the names stay in view
            assert table.render_line(0).text.startswith(" document")
            await pilot.press("home")
            await _settle(pilot)
            assert table.cursor_row == 0


def test_defect_4_sentences_of_a_verbatim_line() -> None:
    line = "R: Eh (...) ja. Nou, ... dat (.) weet ik… niet. Echt?"
    spans = sentences_in(line, 0, len(line))
    assert [line[a:b] for a, b in spans] == [
        "Eh (...) ja.",
        "Nou, ... dat (.) weet ik… niet.",
        "Echt?",
    ]


async def test_defect_6_the_merge_plan_shows_both_trees_codes_at_100_columns(
    tmp_path: Path,
) -> None:
    with _project(tmp_path) as project:
        load_codebook(project, small_codebook(tmp_path), tree="anouk")
        bart = "tree: bart\n\n- Belemeringen collectief werken\n- Bijvangst\n"
        load_codebook(project, write(tmp_path / "bart.codebook", bart))
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            await pilot.press("J")
            await _settle(pilot)
            await pilot.press("enter")
            await _settle(pilot)
            grid = app.screen.query_one(DataTable)
            shown = [grid.render_line(y).text for y in range(grid.row_count + 1)]
            # what is merged (both trees' codes) is in view, a long name cut with an ellipsis
            assert "anouk" in shown[0] and "bart" in shown[0], shown[0]
            pair = next(line for line in shown if "Belemeringen" in line)
            assert "Belemmeringen collectie…" in pair, pair
