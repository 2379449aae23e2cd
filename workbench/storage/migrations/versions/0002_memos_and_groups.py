"""Memos (notes attached to the project, a document, a code or a quotation) and groups of
codes and of documents (REFI-QDA's notes and sets, ATLAS.ti's memos and groups).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "memos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(400), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # What the memo is about: nothing (the project), or one document, code or quotation.
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "code_id", sa.Integer, sa.ForeignKey("codes.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "quotation_id",
            sa.Integer,
            sa.ForeignKey("quotations.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN quotation_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="ck_memos_one_target",
        ),
    )
    for kind, target in (("code", "codes"), ("document", "documents")):
        op.create_table(
            f"{kind}_groups",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(400), nullable=False),
            sa.Column("description", sa.Text, nullable=False),
            sa.UniqueConstraint("name", name=f"uq_{kind}_groups_name"),
        )
        op.create_table(
            f"{kind}_group_members",
            sa.Column(
                "group_id",
                sa.Integer,
                sa.ForeignKey(f"{kind}_groups.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column(
                f"{kind}_id",
                sa.Integer,
                sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
                primary_key=True,
            ),
        )


def downgrade() -> None:
    for kind in ("document", "code"):
        op.drop_table(f"{kind}_group_members")
        op.drop_table(f"{kind}_groups")
    op.drop_table("memos")
