"""The coding workbench: documents, transcript, code tree and quotations on one screen.

The app keeps the layout, the keys, the status line and the view's actions; what it
loads and what each action does live in its parts (`base`, `loading`, `coding_actions`,
`tree_actions`, `comparing`, `suggesting`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

from workbench.services.project import (
    Project,
    remember_coder,
    remember_view_setting,
    remembered_coder,
    view_setting,
)
from workbench.tui.attributes import AttributeActions, AttributesEditor
from workbench.tui.cell_screen import CellScreen
from workbench.tui.coding_actions import citation_changes
from workbench.tui.compare import CompareScreen, DisagreementScreen
from workbench.tui.comparing import CompareActions
from workbench.tui.dialogs import Ask, KeysHelp
from workbench.tui.footer import WorkbenchFooter
from workbench.tui.keymap import Keymap, read_keymap
from workbench.tui.memo_screen import MemoEditor, MemoScreen
from workbench.tui.merge import MergeScreen
from workbench.tui.more_like import MoreLikeScreen
from workbench.tui.panels import CodeTree, DocumentTable
from workbench.tui.place import PLACE_SECONDS, PlaceActions
from workbench.tui.positions import PositionActions, PositionsScreen
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.results_actions import ResultsActions
from workbench.tui.results_screen import ResultsScreen
from workbench.tui.search_screen import SearchScreen
from workbench.tui.suggesting import SuggestActions
from workbench.tui.transcript import TranscriptView
from workbench.tui.tree_actions import TreeActions
from workbench.tui.watching import WatchingOthers

__all__ = ["WorkbenchApp", "citation_changes", "key_rows", "make_app"]

SIDE_MIN = 24
SIDE_SETTING = "side_width"


class WorkbenchApp(
    PlaceActions,
    SuggestActions,
    ResultsActions,
    TreeActions,
    CompareActions,
    AttributeActions,
    PositionActions,
    WatchingOthers,
):
    """Receives an open project; every action is one service call, committed at once."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"

    BINDINGS = [
        Binding("c", "apply_code", "Code", tooltip="Apply a code to the selection", id="app.code"),
        Binding(
            "full_stop",
            "reapply_code",
            "Again",
            tooltip="Apply the last used code to the selection",
            id="app.again",
        ),
        Binding(
            "S",
            "suggest_codes",
            "Suggest",
            show=False,
            tooltip="Suggested codes for the passage at the cursor, learnt from the coding "
            "so far on this machine, first in the code picker",
            id="app.suggest",
        ),
        Binding(
            "L",
            "more_like",
            "More like",
            show=False,
            tooltip="Walk the uncoded passages most like the highlighted code's quotations",
            id="app.more_like",
        ),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo your last change", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", tooltip="Redo what you undid", id="app.redo"),
        Binding(
            "right_square_bracket",
            "next_quotation(1)",
            "Next quot.",
            tooltip="Go to the next quotation",
            id="app.next_quotation",
        ),
        Binding(
            "left_square_bracket",
            "next_quotation(-1)",
            "Prev quot.",
            show=False,
            tooltip="Go to the previous quotation",
            id="app.previous_quotation",
        ),
        Binding(
            "o",
            "toggle_others",
            "Others",
            tooltip="Show or hide the other coders' quotations",
            id="app.others",
        ),
        Binding(
            "greater_than_sign",
            "side_width(4)",
            "Wider side",
            show=False,
            tooltip="Widen the side panels (documents, codes); remembered for the project",
            id="app.side_wider",
        ),
        Binding(
            "less_than_sign",
            "side_width(-4)",
            "Narrower side",
            show=False,
            tooltip="Narrow the side panels (documents, codes); remembered for the project",
            id="app.side_narrower",
        ),
        Binding(
            "slash",
            "find",
            "Find",
            tooltip="Find text in the document and select it (c then codes it)",
            id="app.find",
        ),
        Binding(
            "f3",
            "find_next",
            "Find next",
            show=False,
            tooltip="Select the next match (going round to the top at the end)",
            id="app.find_next",
        ),
        Binding(
            "N",
            "find_previous",
            "Find previous",
            show=False,
            # not shift+F3: terminals send it as a cursor position report, which Textual
            # reads as one
            tooltip="Select the previous match (going round to the bottom at the start)",
            id="app.find_previous",
        ),
        Binding("u", "switch_coder", "Coder", tooltip="Work as another coder", id="app.coder"),
        Binding(
            "J",
            "merge_trees",
            "Merge trees",
            tooltip="Merge two code trees (two coders' own trees) into a joint tree",
            id="app.merge_trees",
        ),
        Binding(
            "g",
            "compare",
            "Compare",
            tooltip="Intercoder agreement, disagreements and a consensus coding",
            id="app.compare",
        ),
        Binding(
            "F",
            "search",
            "Search all",
            tooltip="Search every document; Enter on a hit opens it there",
            id="app.search",
        ),
        Binding(
            "M",
            "memos",
            "Memos",
            tooltip="Read and write memos (about the project, the open document, a code "
            "or a quotation)",
            id="app.memos",
        ),
        Binding(
            "R",
            "results",
            "Results",
            tooltip="Counts per code with a bar chart, the code-document and the "
            "co-occurrence tables",
            id="app.results",
        ),
        Binding(
            "P",
            "positions",
            "Positions",
            tooltip="The two-axis chart of positions and the appendix-5 table",
            id="app.positions",
        ),
        Binding("d", "go('documents')", "Documents", show=False, id="app.documents"),
        Binding("e", "go('transcript')", "Text", show=False, id="app.text"),
        Binding("k", "go('codes')", "Codes", show=False, id="app.codes"),
        Binding("l", "go('quotations')", "Quotations", show=False, id="app.quotations"),
        Binding("f1,question_mark", "help", "Keys", tooltip="List every key", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave (everything is saved)", id="app.quit"),
    ]

    # The keys above act on the main screen: on a screen of their own (search, memos,
    # results, compare, merge) they are off, and the footer leaves them out.
    MAIN_SCREEN_ACTIONS = frozenset(
        str(b.action).split("(")[0] for b in BINDINGS if isinstance(b, Binding)
    ) - {"undo", "redo", "help", "quit"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return len(self.screen_stack) == 1 or action not in self.MAIN_SCREEN_ACTIONS

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield DocumentTable(id="documents")
                yield CodeTree("codes", id="codes")
            with Vertical(id="centre"):
                yield TranscriptView(id="transcript")
                yield QuotationTable(id="quotations")
        yield Static(id="status")
        yield WorkbenchFooter()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_sidebar(event.size.width)

    def _fit_sidebar(self, screen: int | None = None) -> None:
        # Narrow terminals (80 columns) give the text more room, unless the coder chose.
        screen = screen or self.size.width
        wanted = self.side_width or (24 if screen < 100 else max(32, min(48, screen // 4)))
        self.query_one("#sidebar").styles.width = max(SIDE_MIN, min(wanted, screen // 2))

    def action_side_width(self, delta: int) -> None:
        current = int(self.query_one("#sidebar").outer_size.width)
        width = max(SIDE_MIN, min(current + delta, self.size.width // 2))
        self.side_width = width
        self._fit_sidebar()
        self._background(lambda: remember_view_setting(self.project, SIDE_SETTING, str(width)))

    def _side_width_known(self, value: str | None) -> None:
        if value and value.isdigit():
            self.side_width = int(value)
            self._fit_sidebar()

    def on_mount(self) -> None:
        # First the text of a document named on the command line: the first thing to show.
        self.open_named_document()
        self._background(lambda: view_setting(self.project, SIDE_SETTING), self._side_width_known)
        self.query_one("#documents").border_title = "Documents"
        self.query_one("#codes").border_title = "Codes"
        self.query_one("#quotations").border_title = "Quotations"
        self.start_watching()
        self.set_interval(PLACE_SECONDS, self.keep_place)
        for problem in self.keymap.problems:
            self.notify(problem, title="keymap", severity="error", timeout=20)
        if self.coder:
            self._background(lambda: remember_coder(self.project, self.coder), self._coder_set)
        else:
            self._background(lambda: remembered_coder(self.project), self._coder_known)

    # --- status -------------------------------------------------------------------------

    @on(TranscriptView.SelectionChanged)
    def _selection_moved(self) -> None:
        self._update_status()

    # --- view ---------------------------------------------------------------------------

    def action_toggle_others(self) -> None:
        self.show_others = not self.show_others
        self.notify(
            "Showing every coder's quotations" if self.show_others else "Showing only yours"
        )
        self.title_listing()
        self.refresh_all()

    def action_switch_coder(self) -> None:
        self.push_screen(Ask("Work as coder", self.coder), self._coder_answer)

    def action_go(self, widget: str) -> None:
        self.query_one(f"#{widget}").focus()

    def action_help(self) -> None:
        self.push_screen(KeysHelp(list(key_rows(self.keymap))))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the workbench, and of its panels, in the command palette."""
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                lambda action=binding.action: self.run_action(action),
            )
        panels: list[tuple[str, type[Any]]] = [
            ("Documents", DocumentTable),
            ("Text", TranscriptView),
            ("Codes", CodeTree),
            ("Quotations", QuotationTable),
        ]
        for place, widget_class in panels:
            for binding in widget_class.BINDINGS:
                if isinstance(binding, Binding) and binding.tooltip:
                    yield SystemCommand(
                        f"{place}: {binding.description}",
                        binding.tooltip,
                        lambda action=binding.action, cls=widget_class: self._panel_action(
                            cls, action
                        ),
                    )

    def _panel_action(self, widget_class: type[Any], action: str) -> None:
        widget = self.query_one(widget_class)
        widget.focus()
        self.call_later(widget.run_action, action)


def key_rows(keymap: Keymap | None = None) -> Iterable[tuple[str, str, str]]:
    """(where, key, what) for every binding of the workbench, for the help screen, with
    the keys the coder's keymap gives them."""
    keymap = keymap or Keymap()
    places: list[tuple[str, list[Any]]] = [
        ("anywhere", WorkbenchApp.BINDINGS),
        ("text", TranscriptView.BINDINGS),
        ("documents", DocumentTable.KEYS + DocumentTable.BINDINGS),
        ("attributes", AttributesEditor.BINDINGS),
        ("codes", CodeTree.KEYS + CodeTree.BINDINGS),
        ("quotations", QuotationTable.BINDINGS),
        ("compare", CompareScreen.BINDINGS),
        ("consensus", DisagreementScreen.BINDINGS),
        ("merge trees", MergeScreen.BINDINGS),
        ("search", SearchScreen.BINDINGS),
        ("memos", MemoScreen.BINDINGS),
        ("memo editor", MemoEditor.BINDINGS),
        ("results", ResultsScreen.BINDINGS),
        ("co-occur", CellScreen.BINDINGS),
        ("positions", PositionsScreen.BINDINGS),
        ("more like", MoreLikeScreen.BINDINGS),
    ]
    for place, bindings in places:
        for binding in bindings:
            if isinstance(binding, Binding):
                keys = " or ".join(
                    format_key(key.strip()) for key in keymap.key_of(binding).split(",")
                )
                yield place, keys, binding.tooltip or binding.description
            else:
                yield place, format_key(binding[0]), binding[1]


def make_app(
    project: Project,
    *,
    coder: str | None = None,
    tree: str | None = None,
    document: str | None = None,
    keymap: Path | None = None,
) -> WorkbenchApp:
    """The one factory the CLI, the tests and the benchmark use. `keymap` is a keymap
    file named by the coder; without it the one in the config directory is read, if any."""
    keys = read_keymap(keymap, named=keymap is not None)
    return WorkbenchApp(project, coder=coder, tree=tree, document=document, keymap=keys)
