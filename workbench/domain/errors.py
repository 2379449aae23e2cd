"""Errors a user can act on: each message says what is wrong and, where it can, how to fix it."""


class WorkbenchError(Exception):
    """Base class of every error shown to a user."""


class NotFound(WorkbenchError):
    """A document, code, coder or tree named by the user does not exist."""


class InvalidInput(WorkbenchError):
    """A file, row, span or argument that cannot be used as given."""


class Conflict(WorkbenchError):
    """The change would break a rule of the project (a duplicate name, say), or the
    project is no longer in the state the change expects; `about` is the row at fault,
    as ChangeSet.touches() names rows (("code", 12)), so that the message can name the
    later change, and its coder, that stands in the way."""

    def __init__(self, message: str, about: tuple[str, int] | None = None) -> None:
        super().__init__(message)
        self.about = about


class Unavailable(WorkbenchError):
    """The database cannot be reached (the server went away) or stayed busy too long;
    the action's transaction was rolled back, so nothing of it was stored."""


class StorageOutdated(WorkbenchError):
    """The project database needs a migration before it can be used."""
