"""Alembic environment: always run with a connection handed in by workbench.storage.migrate."""

from __future__ import annotations

from alembic import context

from workbench.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
