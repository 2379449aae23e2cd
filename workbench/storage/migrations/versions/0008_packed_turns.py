"""A document's speaker turns in one value, `documents.turns`, instead of a row per turn.

The value is JSON of three arrays, `[starts, ends, speakers]`, in text order, NULL for a
document without turns (see storage/repositories/turns.py). The `turns` table is filled
into it and dropped; the downgrade makes the table again from the values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on SQLite too (no batch copy, which would drop the triggers).
    op.add_column("documents", sa.Column("turns", sa.Text, nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text('SELECT document_id, start, "end", speaker FROM turns ORDER BY document_id, start')
    ).fetchall()
    values = []
    for document_id, turns in groupby(rows, key=lambda row: row[0]):
        starts, ends, speakers = [], [], []
        for _, start, end, speaker in turns:
            starts.append(start)
            ends.append(end)
            speakers.append(speaker)
        packed = json.dumps([starts, ends, speakers], separators=(",", ":"))
        values.append({"id": document_id, "turns": packed})
    if values:
        connection.execute(sa.text("UPDATE documents SET turns = :turns WHERE id = :id"), values)
    op.drop_table("turns")


def downgrade() -> None:
    op.create_table(
        "turns",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("speaker", sa.String(200), nullable=False),
        sa.CheckConstraint('0 <= start AND start < "end"', name="ck_turns_span"),
    )
    connection = op.get_bind()
    rows = [
        {"document_id": document_id, "start": start, "end": end, "speaker": speaker}
        for document_id, packed in connection.execute(
            sa.text("SELECT id, turns FROM documents WHERE turns IS NOT NULL")
        )
        for start, end, speaker in zip(*json.loads(packed), strict=True)
    ]
    if rows:
        connection.execute(
            sa.text(
                'INSERT INTO turns (document_id, start, "end", speaker) '
                "VALUES (:document_id, :start, :end, :speaker)"
            ),
            rows,
        )
    if connection.dialect.name == "sqlite":  # DROP COLUMN keeps the triggers
        op.execute("ALTER TABLE documents DROP COLUMN turns")
        return
    op.drop_column("documents", "turns")
