"""Where a project lives when nothing says otherwise."""

DEFAULT_PROJECT = "workbench.db"
