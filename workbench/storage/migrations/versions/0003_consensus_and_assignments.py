"""Consensus passages (what two coders coded differently, and what was decided) and the
coder assigned to a document (whose coding is final where no consensus exists).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consensus_passages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consensus_coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("coder_a_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("coder_b_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "code_id", sa.Integer, sa.ForeignKey("codes.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("a_spans", sa.Text, nullable=False),  # JSON [[start, end], ...]
        sa.Column("b_spans", sa.Text, nullable=False),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.CheckConstraint('0 <= start AND start < "end"', name="ck_consensus_passages_span"),
        sa.UniqueConstraint(
            "consensus_coder_id",
            "document_id",
            "code_id",
            "start",
            "end",
            name="uq_consensus_passages_consensus_coder_id",
        ),
    )
    op.create_table(
        "document_assignments",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("document_assignments")
    op.drop_table("consensus_passages")
