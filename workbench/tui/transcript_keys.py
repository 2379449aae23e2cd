"""The transcript's keys: moving the cursor, selecting and choosing a unit to code."""

from __future__ import annotations

from textual.binding import Binding, BindingType

TRANSCRIPT_BINDINGS: list[BindingType] = [
    Binding("left", "move(-1)", "Left", show=False, id="transcript.left"),
    Binding("right", "move(1)", "Right", show=False, id="transcript.right"),
    Binding("up", "line(-1)", "Up", show=False, id="transcript.up"),
    Binding("down", "line(1)", "Down", show=False, id="transcript.down"),
    Binding("ctrl+left", "word(-1)", "Word left", show=False, id="transcript.word_left"),
    Binding("ctrl+right", "word(1)", "Word right", show=False, id="transcript.word_right"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="transcript.page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="transcript.page_down"),
    Binding("home", "line_edge(0)", "Line start", show=False, id="transcript.home"),
    Binding("end", "line_edge(1)", "Line end", show=False, id="transcript.end"),
    Binding("shift+left", "extend(-1)", "Extend left", show=False, id="transcript.ext_left"),
    Binding("shift+right", "extend(1)", "Extend right", show=False, id="transcript.ext_right"),
    Binding("shift+up", "extend_line(-1)", "Extend up", show=False, id="transcript.ext_up"),
    Binding("shift+down", "extend_line(1)", "Extend down", show=False, id="transcript.ext_down"),
    Binding(
        "v",
        "toggle_selecting",
        "Select",
        tooltip="Start a selection at the cursor; move to extend it; v again to stop",
        id="transcript.select",
    ),
    Binding("w", "select_unit('word')", "Word", tooltip="Select the word", id="transcript.word"),
    Binding(
        "s",
        "select_unit('sentence')",
        "Sentence",
        tooltip="Select the sentence",
        id="transcript.sentence",
    ),
    Binding(
        "p",
        "select_unit('paragraph')",
        "Paragraph",
        tooltip="Select the paragraph",
        id="transcript.paragraph",
    ),
    Binding(
        "t",
        "select_unit('turn')",
        "Turn",
        tooltip="Select the speaker turn",
        id="transcript.turn",
    ),
    Binding("escape", "clear_selection", "Clear", show=False, id="transcript.clear"),
]
