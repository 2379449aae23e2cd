"""README's key table matches the workbench's bindings.

The bindings are found, not listed: every class of `workbench.tui` that declares
BINDINGS (or KEYS, for keys a Textual widget already handles) is read, so a new key only
needs its README row. Keys of small dialogs (the picker, a question, yes/no) are on the
dialog itself and need an id but no row.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.binding import Binding
from textual.keys import key_to_character
from textual.screen import ModalScreen

import workbench.tui

README = Path(__file__).resolve().parents[1] / "README.md"

# How README writes a key that is not one character.
NAMES = {
    "slash": "/",
    "enter": "enter",
    "escape": "esc",
    "delete": "delete",
    "tab": "tab",
    "home": "home",
    "end": "end",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "left": "arrows",
    "right": "arrows",
    "up": "arrows",
    "down": "arrows",
    "space": "space",
}


def declared_bindings() -> list[tuple[type, Binding | tuple[str, str]]]:
    """(class, binding) for every binding declared by a class of workbench.tui."""
    found = []
    for module_info in pkgutil.iter_modules(workbench.tui.__path__):
        module = importlib.import_module(f"workbench.tui.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is no Binding"
                found.append((cls, binding))
            found.extend((cls, key) for key in cls.__dict__.get("KEYS", []))
    return found


def readme_keys() -> set[str]:
    """The keys README's key table names, as words (`c`, ctrl+z, pgup, arrows, ...)."""
    text = README.read_text(encoding="utf-8")
    start = text.index("| key | what it does |")
    table = text[start : text.index("\n\n", start)]
    words: set[str] = set()
    for line in table.splitlines()[2:]:
        words.update(re.findall(r"`([^`]+)`", line))
        for word in re.split(r"[\s,/();:|`]+", line):
            words.add(word)
    return {word if len(word) == 1 else word.lower() for word in words if word}


def readme_word(key: str) -> str:
    """How README's table writes `key` (one key of a binding)."""
    modifiers, _, name = key.strip().rpartition("+")
    character = key_to_character(name)
    if name in NAMES:
        word = NAMES[name]
    elif character is not None and len(character) == 1 and character.isprintable():
        word = character
    else:
        word = name
    if modifiers:
        return f"{modifiers}+{word}".lower()
    return word


def test_every_binding_has_an_id() -> None:
    """BINDINGS hold Binding objects with ids (keymaps refer to them); KEYS name the keys
    a Textual widget already handles, for the help and README."""
    bindings = [(cls, b) for cls, b in declared_bindings() if not isinstance(b, tuple)]
    missing = [f"{cls.__name__}: {b!r}" for cls, b in bindings if not getattr(b, "id", None)]
    assert not missing, "give each Binding an id: " + "; ".join(missing)
    ids = [b.id for _, b in bindings]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_readme_key_table_names_every_key() -> None:
    words = readme_keys()
    missing = []
    for cls, binding in declared_bindings():
        if issubclass(cls, ModalScreen):
            continue  # a dialog shows its own keys
        keys = binding.key if isinstance(binding, Binding) else binding[0]
        description = binding.description if isinstance(binding, Binding) else binding[1]
        for key in keys.split(","):
            if readme_word(key) not in words:
                missing.append(f"{readme_word(key)} ({cls.__name__}: {description})")
    assert not missing, "add to README's key table: " + "; ".join(sorted(set(missing)))


def test_the_key_words_are_read_as_a_reader_sees_them() -> None:
    # the check itself: README's ways of writing keys are understood
    assert readme_word("full_stop") == "."
    assert readme_word("ctrl+z") == "ctrl+z"
    assert readme_word("shift+left") == "shift+arrows"
    assert readme_word("J") == "J"
    assert {"c", ".", "ctrl+z", "arrows", "pgup", "f1", "?"} <= readme_keys()
