"""The use-cases: the one seam the CLI and the TUI both call."""
