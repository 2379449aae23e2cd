"""The direct path: plain sqlite3 for the few commands that must answer at once.

`workbench code` and `workbench counts` run as a process each time; loading SQLAlchemy
alone takes half a second, far more than their work. On a SQLite project whose schema is
at `HEAD_REVISION` they read and write through these modules instead: the same queries
and the same rows, including the operation log, in one BEGIN IMMEDIATE transaction
with the engine's pragmas (`storage.sqlite`). The rules stay in the services and the
domain; this package only replaces the SQL. `open_direct` says None for every other
project, and the service then takes the ORM path.
"""

from workbench.storage.direct.project import DirectProject, DirectUnit, open_direct

__all__ = ["DirectProject", "DirectUnit", "open_direct"]
