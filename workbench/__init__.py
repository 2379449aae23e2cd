"""workbench: a keyboard-first qualitative coding workbench for the terminal."""

# Also in pyproject.toml (a test keeps the two equal): `workbench --version` reads it
# here instead of searching the installed packages' metadata, which costs it 40 ms.
__version__ = "0.1.0"
