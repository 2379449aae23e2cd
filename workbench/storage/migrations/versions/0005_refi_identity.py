"""REFI-QDA identity: the GUIDs users, codes, documents and quotations came with, so that
a project sent to another tool and back stays the same project.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# A GUID as another tool wrote it (kept as written: case and braces vary), or NULL for
# what was made here (an export then derives a stable one).
TABLES = ("coders", "codes", "documents", "quotations")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("guid", sa.String(40), nullable=True))
    # Found by GUID when the same project is imported again.
    op.create_index("ix_documents_guid", "documents", ["guid"])


def downgrade() -> None:
    op.drop_index("ix_documents_guid", table_name="documents")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("guid")
