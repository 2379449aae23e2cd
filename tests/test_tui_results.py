"""The search, memo and results screens of the workbench, driven through Textual's Pilot
at 100x30 and 160x45 on a real project file: what a user sees, and what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui import messages, open_first_document, settle
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.memos import list_memos
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.tui.app import WorkbenchApp, key_rows, make_app
from workbench.tui.cell_screen import CellScreen
from workbench.tui.memo_screen import MemoEditor, MemoScreen
from workbench.tui.panels import CodeTree
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.results_screen import ResultsScreen
from workbench.tui.search_screen import SearchScreen

SIZES = [(100, 30), (160, 45)]


def long_interview(marked: dict[int, str]) -> str:
    """200 turns between blank lines; turn n says `marked[n]` in the middle when given."""
    lines = []
    for n in range(1, 201):
        word = f" {marked[n]} " if n in marked else " "
        lines.append(f"{'IR'[n % 2]}: Regel {n} van het gesprek,{word}en dan gaat het verder.")
    return "\n\n".join(lines) + "\n"


R01 = INTERVIEW + "R: Het Buurthuis doet mee.\n"
R02 = long_interview({150: "buurthuis"})
R03 = long_interview({148: "wijkteam"})


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with open_project(str(tmp_path / "results.db")) as opened:
        load_codebook(opened, small_codebook(tmp_path))
        files = [write(tmp_path / f"{n}.txt", t) for n, t in (("R01", R01), ("R02", R02))]
        files.append(write(tmp_path / "R03.txt", R03))
        import_transcripts(opened, files)
        yield opened


def screen_text(app: WorkbenchApp) -> str:
    """The characters on the terminal, line by line, as the user reads them."""
    update = app.screen._compositor.render_full_update(simplify=True)
    return "\n".join("".join(s.text for strip in row for s in strip) for row in update.strips)


def hit_in_view(app: WorkbenchApp, offset: int) -> bool:
    view = app.transcript
    line = view._index.line_of(offset)
    top = view.scroll_offset.y
    return top <= line < top + view.scrollable_content_region.height


@pytest.mark.parametrize("size", SIZES)
async def test_search_every_document_and_open_the_hit(
    project: Project, size: tuple[int, int]
) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"buurthuis", "enter")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "2 hit(s) of 'buurthuis' in 2 document(s)" in shown
        assert "Het Buurthuis doet mee" in shown  # the hit in its context, case ignored
        assert "Regel 150 van het gesprek, buurthuis en dan" in shown
        assert any(" R02 " in line and " 150 " in line for line in shown.splitlines())
        await pilot.press("down", "enter")  # the second hit: deep down in R02
        await settle(app, pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.document is not None and app.document.name == "R02"
        start = R02.index("buurthuis")
        assert app.transcript.selection == (start, start + len("buurthuis"))
        assert hit_in_view(app, start)
        # The margin numbers paragraphs as the hit list does (blank lines not counted).
        assert "150 I: Regel 150 van het gesprek" in screen_text(app)
        # F again shows the same search; Escape goes back to the text unchanged.
        await pilot.press("F")
        await settle(app, pilot)
        assert "2 hit(s) of 'buurthuis'" in screen_text(app)
        await pilot.press("escape")
        assert app.document.name == "R02"


async def test_opening_another_document_at_a_hit_scrolls_it_into_view(project: Project) -> None:
    """Defect found while building the search screen: the scroll to the top of a newly
    opened document came after the scroll to the hit, when the previous document was
    scrolled to about the same place."""
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("F", *"buurthuis", "enter")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.transcript.scroll_offset.y > 100
        await pilot.press("F", *["backspace"] * 9, *"wijkteam", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.document is not None and app.document.name == "R03"
        start = R03.index("wijkteam")
        assert app.transcript.selection == (start, start + len("wijkteam"))
        assert hit_in_view(app, start)
        assert "Regel 148 van het gesprek, wijkteam" in screen_text(app)


async def test_search_options_and_scope(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("F", *"Buurthuis", "enter")
        await settle(app, pilot)
        assert "2 hit(s)" in screen_text(app)
        await pilot.press("ctrl+g")  # match case: only R01's
        await settle(app, pilot)
        assert "1 hit(s) of 'Buurthuis' in 1 document(s)" in screen_text(app)
        await pilot.press("ctrl+g", "ctrl+r", "shift+tab")  # ignore case, regex; the scope
        await pilot.press(*"R02", "enter")
        await settle(app, pilot)
        assert "1 hit(s) of 'Buurthuis' in 1 document(s) of R02" in screen_text(app)
        assert "^r regex: on" in screen_text(app)


async def test_write_edit_and_undo_a_memo_about_the_open_document(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_document(app, pilot)
        await pilot.press("M")
        await settle(app, pilot)
        assert isinstance(app.screen, MemoScreen)
        assert "0 memo(s)" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, MemoEditor)
        assert "document R01" in screen_text(app)  # offered, and chosen: R01 is open
        await pilot.press(*"Caseload", "enter", "tab")  # title, about, then the text
        await pilot.press(*"Komt in elk gesprek terug.", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MemoScreen)
        shown = screen_text(app)
        assert "1 memo(s)" in shown and "Caseload" in shown
        assert "document R01" in shown and "Komt in elk gesprek terug." in shown
        (memo,) = list_memos(project)
        assert memo.document_id is not None and memo.coder == "anouk"
        await pilot.press("e")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("end", *" Ook bij R02.", "ctrl+s")
        await settle(app, pilot)
        assert list_memos(project)[0].text == "Komt in elk gesprek terug. Ook bij R02."
        assert "Ook bij R02." in screen_text(app)
        await pilot.press("ctrl+z")  # the edit, one operation
        await settle(app, pilot)
        assert list_memos(project)[0].text == "Komt in elk gesprek terug."
        assert "Ook bij R02." not in screen_text(app)
        await pilot.press("ctrl+z")  # the memo itself
        await settle(app, pilot)
        assert list_memos(project) == []
        assert "0 memo(s)" in screen_text(app)
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert [m.title for m in list_memos(project)] == ["Caseload"]
        await pilot.press("delete", "y")
        await settle(app, pilot)
        assert list_memos(project) == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.document is not None and app.document.name == "R01"


async def test_a_memo_about_the_selected_code(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        tree = app.query_one(CodeTree)
        tree.focus()
        while tree.selected_code is None or tree.selected_code.number != 12:
            await pilot.press("down")
        code = tree.selected_code
        assert code.id != 12  # the memo must name the code by its number, not its id
        await pilot.press("M")
        await settle(app, pilot)
        await pilot.press("n")
        assert "code 12 Kansen/mogelijkheden collectief werken" in screen_text(app)
        await pilot.press(*"Kansen", "ctrl+s")
        await settle(app, pilot)
        assert "code 12 Kansen/mogelijkheden" in screen_text(app)
        (memo,) = list_memos(project)
        assert memo.code_id == code.id and memo.title == "Kansen"


@pytest.mark.parametrize("size", SIZES)
async def test_results_counts_cooccurrence_and_a_codes_quotations(
    project: Project, size: tuple[int, int]
) -> None:
    code_passage(project, "R01", ["2", "12"], span=(0, 20), coder="anouk")
    code_passage(project, "R01", ["2"], span=(60, 90), coder="anouk")
    code_passage(project, "R02", ["20"], span=(0, 30), coder="anouk")
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        shown = screen_text(app)
        assert "Citations (quotations) per code. Counted: the final coding" in shown
        assert "2 Belemmeringen collectief werken" in shown and "█" in shown
        assert "Total" in shown
        await pilot.press("2")  # the code-document table
        await settle(app, pilot)
        assert "R01" in screen_text(app) and "R03" in screen_text(app)
        await pilot.press("4")  # the pairs, with the c-coefficient
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Codes occurring together (quotation unit)" in shown
        # 2 and 12 share one quotation; 2 has two, 12 one: c = 1 / (2 + 1 - 1) = 0.50
        assert "0.50" in shown
        await pilot.press("enter")  # the quotation behind the pair
        await settle(app, pilot)
        assert isinstance(app.screen, CellScreen)
        shown = screen_text(app)
        assert "(quotation unit): 2 quotation row(s)" in " ".join(shown.split())
        assert "Wat verstaat u on" in shown  # the quoted text (without the speaker label)
        await pilot.press("enter")  # shown in its document
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        assert app.document is not None and app.document.name == "R01"
        assert app.transcript.selection == (0, 20)
        await pilot.press("R", "4")
        await settle(app, pilot)
        await pilot.press("3", "u")  # the matrix, by overlapping quotations
        await settle(app, pilot)
        assert "Code co-occurrence (overlap unit;" in screen_text(app)
        await pilot.press("f")  # every coder's quotations
        await settle(app, pilot)
        assert "every coder's" in screen_text(app)
        await pilot.press("1", "down", "down")  # 9, the first group, then its code 2
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ResultsScreen)
        table = app.query_one(QuotationTable)
        # The results counted every coder's; the list says it holds the coder's own.
        code_2 = "quotations of 2 Belemmeringen collectief werken"
        assert table.border_title == f"Your {code_2} · o: every coder's"
        assert len(table.quotations) == 2
        await pilot.press("o")
        await settle(app, pilot)
        assert table.border_title == f"Every coder's {code_2}"


# (document, start, end, codes, coder): one coder per document, so the final coding is theirs.
CELL_CODINGS = [
    ("R01", 0, 20, ("2", "12"), "anouk"),
    ("R01", 60, 90, ("2",), "anouk"),
    ("R01", 80, 120, ("12",), "anouk"),  # overlaps the one before
    ("R02", 0, 30, ("20",), "anouk"),
    ("R02", 100, 140, ("2",), "anouk"),
    ("R02", 130, 160, ("12",), "anouk"),  # overlaps the one before
    ("R03", 0, 30, ("2",), "bart"),
    ("R03", 10, 25, ("20",), "bart"),
    ("R03", 200, 230, ("12",), "bart"),  # in the same document only
]
Place = tuple[str, int, int]


def counted_in_document(codes: set[str], document: str | None) -> set[Place]:
    """The quotations a count of the code-document table counts, from the list above."""
    return {
        (d, s, e)
        for d, s, e, carried, _ in CELL_CODINGS
        if codes & set(carried) and document in (None, d)
    }


def counted_together(a: str, b: str, unit: str) -> set[Place]:
    """The quotations a cell of the co-occurrence table counts, from the list above."""
    of_a = [c for c in CELL_CODINGS if a in c[3]]
    of_b = [c for c in CELL_CODINGS if b in c[3]]
    if unit == "quotation":
        return {c[:3] for c in of_a if b in c[3]}
    if unit == "document":
        both = {c[0] for c in of_a} & {c[0] for c in of_b}
        return {c[:3] for c in of_a + of_b if c[0] in both}
    found: set[Place] = set()
    for x in of_a:
        for y in of_b:
            if (x[0], x[4]) == (y[0], y[4]) and x[1] < y[2] and y[1] < x[2]:
                found |= {x[:3], y[:3]}
    return found


async def enter_on(app: WorkbenchApp, pilot: Pilot[None], row: int, column: int) -> set[Place]:
    """Move the results table's cursor to a cell as a user does, press Enter, and give
    the quotations listed (the screen then shown is the list)."""
    table = app.screen.query_one(DataTable)
    await pilot.press("home", "ctrl+home")
    await pilot.press(*["down"] * row, *["right"] * column)
    await settle(app, pilot)
    assert tuple(table.cursor_coordinate) == (row, column)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CellScreen)
    return {(r.document, r.start, r.end) for r in app.screen.rows}


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_count_lists_the_quotations_it_counts(
    project: Project, size: tuple[int, int]
) -> None:
    for document, start, end, codes, coder in CELL_CODINGS:
        code_passage(project, document, list(codes), span=(start, end), coder=coder)
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("R", "2")  # the code-document table, of the final coding
        await settle(app, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        rows = [str(r["code"]).strip() for r in results.row_records]
        columns = ["code", "R01", "R02", "R03", "citations"]
        assert [str(c.label) for c in results.query_one(DataTable).columns.values()][:4] == [
            "code",
            "R01",
            "R02",
            "R03",
        ]
        code_2 = rows.index("Belemmeringen collectief werken")
        shown = await enter_on(app, pilot, code_2, columns.index("R02"))
        assert shown == counted_in_document({"2"}, "R02") and len(shown) == 1
        title = " ".join(screen_text(app).split())
        assert "2 Belemmeringen collectief werken in R02: 1 quotation(s) of the final" in title
        await pilot.press("escape")  # back to the table, on the same cell
        await settle(app, pilot)
        assert app.screen is results
        assert tuple(results.query_one(DataTable).cursor_coordinate) == (code_2, 2)
        # A category counts the distinct quotations of its codes; the total every code's.
        category = rows.index("Kansen en belemmeringen")
        shown = await enter_on(app, pilot, category, columns.index("R01"))
        assert shown == counted_in_document({"2", "12"}, "R01") and len(shown) == 3
        await pilot.press("escape")
        await settle(app, pilot)
        shown = await enter_on(app, pilot, rows.index("Total"), columns.index("citations"))
        assert shown == counted_in_document({"2", "12", "20", "9"}, None)
        await pilot.press("escape")
        await settle(app, pilot)
        nine = rows.index("Definitie collectief werken")  # nothing coded: nothing to list
        await pilot.press("home", "ctrl+home", *["down"] * nine, "right", "enter")
        await settle(app, pilot)
        assert app.screen is results and "No quotations are counted there" in messages(app)
        await pilot.press("3")  # the co-occurrence table: a row and a column per code
        await settle(app, pilot)
        assert results.results is not None and results.results.cooccurrence is not None
        order = [str(c.number) for c in results.results.cooccurrence.codes]
        two, twelve, twenty = (order.index(n) for n in ("2", "12", "20"))
        for unit in ("quotation", "overlap", "document"):
            assert f"({unit} unit;" in screen_text(app)
            shown = await enter_on(app, pilot, two, 1 + twelve)  # 2 with 12
            assert shown == counted_together("2", "12", unit), unit
            assert {r.code_number for r in app.screen.rows} == {2, 12}  # type: ignore[attr-defined]
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("u")
            await settle(app, pilot)
        shown = await enter_on(app, pilot, twenty, 1 + twenty)  # 20 with itself: its own
        assert shown == counted_in_document({"20"}, None)
        await pilot.press("enter")  # and one of them in its document
        await settle(app, pilot)
        assert len(app.screen_stack) == 1 and app.document is not None
        assert app.document.name == "R02" and app.transcript.selection == (0, 30)


def test_every_new_key_is_in_the_help_and_the_readme() -> None:
    rows = {(where, key) for where, key, _ in key_rows()}
    assert {("anywhere", "F"), ("anywhere", "M"), ("anywhere", "R")} <= rows
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for key in ("`F`", "`M`", "`R`"):
        assert f"| {key}" in readme
