"""Errors a user can act on: each message says what is wrong and, where it can, how to fix it."""


class WorkbenchError(Exception):
    """Base class of every error shown to a user."""


class NotFound(WorkbenchError):
    """A document, code, coder or tree named by the user does not exist."""


class InvalidInput(WorkbenchError):
    """A file, row, span or argument that cannot be used as given."""


class Conflict(WorkbenchError):
    """The change would break a rule of the project (a duplicate name, say)."""


class StorageOutdated(WorkbenchError):
    """The project database needs a migration before it can be used."""
