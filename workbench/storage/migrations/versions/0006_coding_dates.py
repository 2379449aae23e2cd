"""Who changed a quotation last and when, and when each of its codings was made: REFI-QDA
keeps a selection's modifyingUser / modifiedDateTime and every Coding's own
creationDateTime, and an export writes them back.

A coding's creating user needs no column: the coding's coder_id is the quotation's coder,
and an import makes one quotation per coding user.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL: never changed since it was made (or made before this revision).
    # SQLite: a plain ADD COLUMN with a REFERENCES clause, since a batch copy of
    # quotations would drop its triggers (alembic adds no constraint to SQLite otherwise).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE quotations ADD COLUMN modified_by INTEGER REFERENCES coders (id)")
    else:
        op.add_column("quotations", sa.Column("modified_by", sa.Integer, nullable=True))
        op.create_foreign_key(
            "fk_quotations_modified_by_coders", "quotations", "coders", ["modified_by"], ["id"]
        )
    op.add_column("quotations", sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))
    # NULL: made before this revision; an export then gives the quotation's date.
    op.add_column(
        "quotation_codes", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("quotation_codes", "created_at")
    if op.get_bind().dialect.name == "sqlite":  # DROP COLUMN keeps the triggers
        op.execute("ALTER TABLE quotations DROP COLUMN modified_at")
        op.execute("ALTER TABLE quotations DROP COLUMN modified_by")
        return
    op.drop_constraint("fk_quotations_modified_by_coders", "quotations", type_="foreignkey")
    op.drop_column("quotations", "modified_at")
    op.drop_column("quotations", "modified_by")
