"""A quotation's code set, for the category counts (see storage/codesets.py); and an
index of quotations by coder and document, from which the count table's note reads the
coders of each document with one probe per coder and document.

`code_set` holds, for a quotation with two or more codes, their ids in order ("3 7 12"),
and NULL for one code. The partial index holds only those quotations, in code-set order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on SQLite too (no batch copy, which would drop the triggers).
    op.add_column("quotations", sa.Column("code_set", sa.Text, nullable=True))
    connection = op.get_bind()
    pairs = connection.execute(
        sa.text(
            "SELECT quotation_id, code_id FROM quotation_codes WHERE quotation_id IN "
            "(SELECT quotation_id FROM quotation_codes GROUP BY quotation_id "
            "HAVING count(*) > 1) ORDER BY quotation_id, code_id"
        )
    ).fetchall()
    values = [
        {"id": quotation_id, "code_set": " ".join(str(code) for _, code in rows)}
        for quotation_id, rows in groupby(pairs, key=lambda pair: pair[0])
    ]
    if values:
        connection.execute(
            sa.text("UPDATE quotations SET code_set = :code_set WHERE id = :id"), values
        )
    where = sa.text("code_set IS NOT NULL")
    op.create_index(
        "ix_quotations_code_set",
        "quotations",
        ["code_set", "document_id", "coder_id"],
        sqlite_where=where,
        postgresql_where=where,
    )
    op.create_index("ix_quotations_coder_document", "quotations", ["coder_id", "document_id"])


def downgrade() -> None:
    op.drop_index("ix_quotations_coder_document", table_name="quotations")
    op.drop_index("ix_quotations_code_set", table_name="quotations")
    if op.get_bind().dialect.name == "sqlite":  # DROP COLUMN keeps the triggers
        op.execute("ALTER TABLE quotations DROP COLUMN code_set")
        return
    op.drop_column("quotations", "code_set")
