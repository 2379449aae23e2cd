"""workbench: a keyboard-first qualitative coding workbench for the terminal."""
