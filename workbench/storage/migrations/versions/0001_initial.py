"""Initial schema: coders, documents, code trees, codes, quotations, codings, operation log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

# A quotation may not run past its document's text. A CHECK cannot look at another
# table, so a trigger does it, against documents.length, which a CHECK keeps equal to
# length(text); length() counts characters (code points) on both dialects.
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER quotation_within_text_{when}
    BEFORE {when.upper()} ON quotations
    WHEN NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id)
    BEGIN
        SELECT RAISE(ABORT, 'quotation ends after the end of its document text');
    END
    """
    for when in ("insert", "update")
]
POSTGRES_TRIGGER = [
    """
    CREATE FUNCTION quotation_within_text() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id) THEN
            RAISE EXCEPTION 'quotation ends after the end of its document text'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER quotation_within_text
    BEFORE INSERT OR UPDATE ON quotations
    FOR EACH ROW EXECUTE FUNCTION quotation_within_text()
    """,
]


def upgrade() -> None:
    op.create_table(
        "coders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_coders_name"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        # Code points in text, kept so that checking a quotation's end needs no read of the text.
        sa.Column("length", sa.Integer, nullable=False),
        sa.Column("source_name", sa.String(1000), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("imported_at", TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_documents_name"),
        sa.CheckConstraint("length = length(text)", name="ck_documents_length"),
    )
    op.create_index("ix_documents_checksum", "documents", ["checksum"])
    op.create_table(
        "document_attributes",
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
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
    op.create_table(
        "code_trees",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_code_trees_name"),
    )
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "tree_id",
            sa.Integer,
            sa.ForeignKey("code_trees.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("codes.id"), nullable=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("colour", sa.String(20), nullable=True),
        sa.Column("codable", sa.Boolean, nullable=False),
        sa.UniqueConstraint("tree_id", "name", name="uq_codes_tree_name"),
    )
    op.create_index("ix_codes_tree_number", "codes", ["tree_id", "number"])
    op.create_table(
        "quotations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint('0 <= start AND start < "end"', name="ck_quotations_span"),
        sa.UniqueConstraint("id", "document_id", "coder_id", name="uq_quotations_owner"),
    )
    op.create_index("ix_quotations_document_start", "quotations", ["document_id", "start"])
    # A coding repeats its quotation's document and coder, so that the citation counts
    # come from one covering index; the composite foreign key keeps the copies equal.
    op.create_table(
        "quotation_codes",
        sa.Column("quotation_id", sa.Integer, primary_key=True),
        sa.Column("code_id", sa.Integer, sa.ForeignKey("codes.id"), primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("coder_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["quotation_id", "document_id", "coder_id"],
            ["quotations.id", "quotations.document_id", "quotations.coder_id"],
            name="fk_quotation_codes_quotation",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    op.create_index(
        "ix_quotation_codes_counts", "quotation_codes", ["code_id", "document_id", "coder_id"]
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("coder_id", sa.Integer, sa.ForeignKey("coders.id"), nullable=True),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        # True when detail holds a change set that undo can reverse.
        sa.Column("reversible", sa.Boolean, nullable=False),
        # For an undo or redo: the operation it reverses or repeats.
        sa.Column("undo_of", sa.Integer, sa.ForeignKey("operations.id"), nullable=True),
    )
    op.create_index("ix_operations_coder_id", "operations", ["coder_id"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    statements = SQLITE_TRIGGERS if op.get_context().dialect.name == "sqlite" else POSTGRES_TRIGGER
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS quotation_within_text_insert")
        op.execute("DROP TRIGGER IF EXISTS quotation_within_text_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS quotation_within_text ON quotations")
        op.execute("DROP FUNCTION IF EXISTS quotation_within_text()")
    for table in (
        "settings",
        "operations",
        "quotation_codes",
        "quotations",
        "codes",
        "code_trees",
        "turns",
        "document_attributes",
        "documents",
        "coders",
    ):
        op.drop_table(table)
