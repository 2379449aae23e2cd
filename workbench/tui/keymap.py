"""The coder's own keys: a small TOML file mapping binding ids to keys, read at launch.

    # ~/.config/workbench/keymap.toml
    "app.code" = "C"
    "app.undo" = "ctrl+u,ctrl+z"

(or a table per place: `[app]` then `code = "C"`). A file that cannot be read, an id
that names no key of the workbench or a key Textual does not know is reported with the
file and the line, and left out: the workbench opens with its default keys for it.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import os
import pkgutil
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, _character_to_key

import workbench.tui

FILE_NAME = "keymap.toml"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys) | frozenset(KEY_NAME_REPLACEMENTS.values())


def default_path() -> Path:
    """`$XDG_CONFIG_HOME/workbench/keymap.toml` (`~/.config` when it is not set)."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "workbench" / FILE_NAME


@dataclass
class Keymap:
    """The keys read from a file (binding id -> keys), and what was wrong in it."""

    path: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def key_of(self, binding: Binding) -> str:
        """The binding's keys, as the file remaps them."""
        return self.keys.get(binding.id, binding.key) if binding.id else binding.key


def _binding_places() -> list[list[Binding]]:
    """The bindings of every class of `workbench.tui` that declares BINDINGS, a list per
    class (found, so a new binding needs no list)."""
    places = []
    for info in pkgutil.iter_modules(workbench.tui.__path__):
        module = importlib.import_module(f"workbench.tui.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                places.append([b for b in cls.__dict__["BINDINGS"] if isinstance(b, Binding)])
    return places


def binding_ids() -> dict[str, str]:
    """Every binding id of the workbench with its default keys."""
    return {b.id: b.key for place in _binding_places() for b in place if b.id}


def _taken(keys: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(key, remapped id, id that loses the key, the keys it keeps) where a remapped key
    is another binding's in the same place: Textual gives it to the remapped one."""
    found = []
    for place in _binding_places():
        for binding in place:
            if binding.id not in keys:
                continue
            for other in place:
                if other.id == binding.id or (other.id in keys):
                    continue
                own = {k.strip() for k in other.key.split(",")}
                for key in keys[binding.id].split(","):
                    if key in own:
                        kept = ",".join(sorted(own - {key}))
                        found.append((key, binding.id, other.id or other.action, kept))
    return found


def valid_key(key: str) -> bool:
    """Whether Textual knows `key` (`c`, `C`, `ctrl+k`, `f2`, `shift+tab`, `full_stop`)."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1 or base in _NAMED_KEYS or key in _NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(base.upper().replace("_", " "))
    except KeyError:
        return False
    return True


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _line_of(lines: list[str], binding_id: str) -> int | None:
    """The line that sets `binding_id` (written whole, quoted or not, or under a table)."""
    for name in (binding_id, binding_id.rsplit(".", 1)[-1]):
        pattern = re.compile(rf"""^\s*["']?{re.escape(name)}["']?\s*=""")
        for number, line in enumerate(lines, 1):
            if pattern.match(line):
                return number
    return None


def read_keymap(path: Path | None = None, *, named: bool = False) -> Keymap:
    """The keymap in `path` (the default file when None). A missing default file is no
    problem (most coders have none); a missing file named with `--keymap` is."""
    path = path or default_path()
    keymap = Keymap(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named:
            keymap.problems.append(f"{path}: no such file; the default keys are used")
        return keymap
    except (OSError, UnicodeDecodeError) as error:
        keymap.problems.append(f"{path}: cannot be read ({error}); the default keys are used")
        return keymap
    try:
        table = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        keymap.problems.append(f"{path}: not a TOML file ({error}); the default keys are used")
        return keymap
    known = binding_ids()
    lines = source.splitlines()
    for binding_id, value in _flatten(table).items():
        number = _line_of(lines, binding_id)
        where = f"{path}, line {number}" if number else str(path)
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, known, n=3, cutoff=0.75)
            hint = f" (did you mean {', '.join(near)}?)" if near else " (F1 lists the keys)"
            keymap.problems.append(f"{where}: no key binding {binding_id!r}{hint}; left out")
            continue
        keys = value if isinstance(value, list) else [value]
        if not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            keymap.problems.append(
                f'{where}: {binding_id} = {value!r}: keys are text such as "ctrl+k" or '
                f'"c,f2"; left out'
            )
            continue
        wanted = [k.strip() for text in keys for k in str(text).split(",") if k.strip()]
        normal = [_character_to_key(k) if len(k) == 1 else k for k in wanted]
        bad = [k for k, n in zip(wanted, normal, strict=True) if not valid_key(n)]
        if bad:
            keymap.problems.append(
                f"{where}: {binding_id}: {', '.join(map(repr, bad))} is no key (keys look "
                "like c, C, ctrl+k, f2, shift+tab); left out"
            )
            continue
        keymap.keys[binding_id] = ",".join(normal)
    for key, winner, loser, kept in _taken(keymap.keys):
        number = _line_of(lines, winner)
        where = f"{path}, line {number}" if number else str(path)
        left = f"keeps {kept}" if kept else "has no key now"
        keymap.problems.append(f"{where}: {winner} takes {key} from {loser}, which {left}")
    return keymap


if __name__ == "__main__":  # python -m workbench.tui.keymap: every id with its keys
    for binding_id, keys in sorted(binding_ids().items()):
        print(f'"{binding_id}" = "{keys}"')
