"""Searching every document of the project: a pattern, its options, and the hits with
the words around them (keyword in context); Enter opens the document at the hit, `c`
codes every hit (or its sentence, paragraph or turn) as one change."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from workbench.domain.model import Code
from workbench.services.search import AutoCoding, Hit, SearchOptions
from workbench.tui.dialogs import Choose
from workbench.tui.requests import Request

SHOWN_HITS = 5000  # rows listed; the title gives the full count
CONTEXT = 60  # characters each side of a hit, at most (fewer on a narrow screen)
UNITS = (  # what auto-coding codes of each hit (services.search.UNITS), the first by default
    ("hit", "the words found, nothing more"),
    ("sentence", "the sentence holding each hit"),
    ("paragraph", "the paragraph (line) holding each hit"),
    ("turn", "the speaker turn holding each hit"),
)


def scope_of(text: str) -> tuple[list[str], list[str]]:
    """'R01, R07, team=Oost' -> documents ['R01', 'R07'] and attributes ['team=Oost']."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return [p for p in parts if "=" not in p], [p for p in parts if "=" in p]


class SearchScreen(Screen[None]):
    """The pattern on top, the scope beside it, the hits below; Enter on a hit opens it."""

    BINDINGS = [
        Binding(
            "ctrl+r",
            "flip('regex')",
            "Regex",
            tooltip="Search: read the pattern as a regular expression (or as plain text)",
            id="search.regex",
        ),
        Binding(
            "ctrl+b",
            "flip('whole_word')",
            "Whole word",
            tooltip="Search: only whole words (or any part of a word)",
            id="search.whole_word",
        ),
        Binding(
            "ctrl+g",
            "flip('ignore_case')",
            "Case",
            tooltip="Search: ignore case (or match it exactly)",
            id="search.case",
        ),
        Binding(
            "enter",
            "open_hit",
            "Open",
            tooltip="In the hits: open the document with the hit selected",
            id="search.open",
            show=False,
        ),
        Binding(
            "c",
            "auto_code",
            "Code hits",
            tooltip="In the hits: code every hit (or its sentence, paragraph or turn) with a "
            "code, as one change that ctrl+z undoes",
            id="search.code",
        ),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the text", id="search.back"),
    ]

    class Search(Request[list[Hit]]):
        """Every hit of a pattern, searched with these options; `refused` gets why there
        is no search (a scope naming no document, a bad regular expression)."""

        def __init__(
            self,
            pattern: str,
            options: SearchOptions,
            reply: Callable[[list[Hit]], None],
            refused: Callable[[str], None],
        ) -> None:
            super().__init__(reply)
            self.pattern, self.options, self.refused = pattern, options, refused

    class Open(Message):
        """Back to the workbench, with the hit's document open and the hit selected."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class PickCode(Request[Code]):
        """A code from the workbench's code picker; no answer when none is picked."""

        def __init__(self, title: str, reply: Callable[[Code], None]) -> None:
            super().__init__(reply)
            self.title = title

    class AutoCode(Request[AutoCoding]):
        """Code every hit of the search (or its unit) with `code` as the coder, in one
        change; the answer counts what was coded, `refused` gets why nothing was."""

        def __init__(
            self,
            pattern: str,
            options: SearchOptions,
            code: Code,
            unit: str,
            reply: Callable[[AutoCoding], None],
            refused: Callable[[str], None],
        ) -> None:
            super().__init__(reply)
            self.pattern, self.options, self.code, self.unit = pattern, options, code, unit
            self.refused = refused

    def __init__(self, pattern: str = "", options: SearchOptions | None = None) -> None:
        super().__init__()
        self.options = options or SearchOptions(ignore_case=True, context=CONTEXT)
        self.pattern = pattern
        self.hits: list[Hit] = []
        self.listed: tuple[str, SearchOptions] | None = None  # the search the hits are of

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="search-bar"):
                yield Input(
                    value=self.pattern,
                    placeholder="search every document: a word or phrase, Enter",
                    id="search-pattern",
                )
                yield Input(
                    value=", ".join([*self.options.documents, *self.options.where]),
                    placeholder="in: all (or R01, team=Oost)",
                    id="search-scope",
                )
            yield Label(id="search-title")
            yield DataTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("document", key="document", width=10)
        table.add_column("par.", key="par", width=5)
        table.add_column("hit in context", key="context")
        self._title("Type a word and press Enter.")
        self.query_one("#search-pattern", Input).focus()
        if self.pattern:  # the last search again; typing replaces its pattern
            self.run_search(focus_hits=False)

    def _flags(self) -> str:
        case = "ignored" if self.options.ignore_case else "matched"
        word = "on" if self.options.whole_word else "off"
        regex = "on" if self.options.regex else "off"
        return f"^g case: {case}, ^b whole word: {word}, ^r regex: {regex}"

    def _title(self, what: str) -> None:
        self.query_one("#search-title", Label).update(f"{what}  ({self._flags()})")

    def action_flip(self, option: str) -> None:
        values = {
            "regex": self.options.regex,
            "whole_word": self.options.whole_word,
            "ignore_case": self.options.ignore_case,
        }
        values[option] = not values[option]
        self.options = SearchOptions(
            **values,
            documents=self.options.documents,
            where=self.options.where,
            context=self.options.context,
        )
        if self.pattern:
            self.run_search(focus_hits=False)
        else:
            self._title("Type a word and press Enter.")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.pattern = self.query_one("#search-pattern", Input).value.strip()
        documents, where = scope_of(self.query_one("#search-scope", Input).value)
        self.options = SearchOptions(
            regex=self.options.regex,
            whole_word=self.options.whole_word,
            ignore_case=self.options.ignore_case,
            documents=documents,
            where=where,
            context=self.options.context,
        )
        if self.pattern:
            self.run_search()

    def run_search(self, *, focus_hits: bool = True) -> None:
        self._title(f"Searching for {self.pattern!r} ...")
        asked = (self.pattern, self.options)

        def show(hits: list[Hit]) -> None:
            if (self.pattern, self.options) == asked:  # not an earlier search's late answer
                self.listed = asked
                self.show(hits, focus_hits=focus_hits)

        def refused(why: str) -> None:
            if (self.pattern, self.options) == asked:
                # The earlier search's hits go too: c must not code what is not asked for.
                self.listed = asked
                self.show([], focus_hits=False)
                self._title(f"No search: {why}")

        self.post_message(self.Search(self.pattern, self.options, show, refused))

    def show(self, hits: list[Hit], *, focus_hits: bool = True) -> None:
        self.hits = hits
        table = self.query_one(DataTable)
        table.clear()
        # Keyword in context: the hits one under the other, their context either side.
        listed = hits[:SHOWN_HITS]
        longest = max((len(hit.match) for hit in listed), default=0)
        side = max(10, min(CONTEXT, (self.size.width - 26 - longest) // 2))
        for index, hit in enumerate(listed):
            left, match, right = hit.in_line()
            line = Text(left[-side:].rjust(side))
            line.append(match.ljust(longest), style="bold reverse")
            line.append(right[:side])
            table.add_row(hit.document, str(hit.paragraph), line, key=str(index))
        documents = len({hit.document_id for hit in hits})
        shown = f" (the first {SHOWN_HITS} listed)" if len(hits) > SHOWN_HITS else ""
        where = ", ".join([*self.options.documents, *self.options.where])
        self._title(
            f"{len(hits)} hit(s) of {self.pattern!r} in {documents} document(s)"
            + (f" of {where}" if where else "")
            + shown
            + ("; Enter opens one, c codes them all" if hits else "")
        )
        if hits and focus_hits:
            table.focus()

    def action_open_hit(self) -> None:
        table = self.query_one(DataTable)
        if not self.hits or not table.row_count:
            return
        self.post_message(self.Open(self.hits[table.cursor_row]))

    @on(DataTable.RowSelected, "#search-hits")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_hit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the pattern or the scope, c is a letter typed: the footer shows the key greyed.
        return None if action == "auto_code" and isinstance(self.focused, Input) else True

    def action_auto_code(self) -> None:
        """Which code, then which unit; then every hit of the search listed is coded."""
        if self.listed is None or not self.hits:
            self.notify("No hits to code: search for a word first (Enter)", severity="warning")
            return
        (pattern, options), count = self.listed, len(self.hits)

        def picked(code: Code) -> None:
            def chosen(unit: str | None) -> None:
                if unit is not None:
                    self._title(f"Coding the {count} hit(s) of {pattern!r} with {code.label} ...")
                    reply = self._coded(pattern, code, unit)
                    self.post_message(
                        self.AutoCode(pattern, options, code, unit, reply, self._refused)
                    )

            question = f"Code with {code.label}: each hit, or the passage around it?"
            self.app.push_screen(Choose(question, UNITS), chosen)

        self.post_message(self.PickCode(f"Code all {count} hit(s) of {pattern!r} with", picked))

    def _coded(self, pattern: str, code: Code, unit: str) -> Callable[[AutoCoding], None]:
        def show(done: AutoCoding) -> None:
            self._title(
                f"Coded: {coded_summary(done)} ({done.hits} hit(s) of {pattern!r}, {unit}s, "
                f"{code.label}); ctrl+z undoes it"
            )

        return show

    def _refused(self, why: str) -> None:
        self._title(f"Nothing coded: {why}")


def coded_summary(done: AutoCoding, *, short: bool = False) -> str:
    """'3 new quotation(s), 1 quotation(s) gained the code, 2 had it already' (the parts
    there are); `short`: '3 new, 1 gained it, 2 had it' (for the status line)."""
    parts = [f"{done.quotations} new" + ("" if short else " quotation(s)")]
    if done.added_to:
        parts.append(
            f"{done.added_to} " + ("gained it" if short else "quotation(s) gained the code")
        )
    if done.already:
        parts.append(f"{done.already} had it" + ("" if short else " already"))
    return ", ".join(parts)
