"""Typed ORM models. The database schema itself is created by the Alembic migrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CoderRow(Base):
    __tablename__ = "coders"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    guid: Mapped[str | None] = mapped_column(String(40))  # REFI-QDA identity (see 0005)


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (CheckConstraint("length = length(text)", name="length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(1000))
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    guid: Mapped[str | None] = mapped_column(String(40), index=True)
    # The speaker turns, packed (see repositories/turns.py); NULL when there are none.
    turns: Mapped[str | None] = mapped_column(Text)


class DocumentAttributeRow(Base):
    __tablename__ = "document_attributes"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CodeTreeRow(Base):
    __tablename__ = "code_trees"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CodeRow(Base):
    __tablename__ = "codes"
    __table_args__ = (
        UniqueConstraint("tree_id", "name", name="uq_codes_tree_name"),
        Index("ix_codes_tree_number", "tree_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_id: Mapped[int] = mapped_column(ForeignKey("code_trees.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"))
    name: Mapped[str] = mapped_column(String(400))
    number: Mapped[int | None] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str | None] = mapped_column(String(20))
    codable: Mapped[bool] = mapped_column(Boolean, default=True)
    guid: Mapped[str | None] = mapped_column(String(40))


class QuotationRow(Base):
    __tablename__ = "quotations"
    # end <= length of the document's text is checked by a trigger (see the migration).
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="span"),
        Index("ix_quotations_document_start", "document_id", "start"),
        # The quotations with two or more codes, by code set (see storage/codesets.py).
        Index(
            "ix_quotations_code_set",
            "code_set",
            "document_id",
            "coder_id",
            sqlite_where=text("code_set IS NOT NULL"),
            postgresql_where=text("code_set IS NOT NULL"),
        ),
        # The coders of each document, one seek per pair (the count table's note).
        Index("ix_quotations_coder_document", "coder_id", "document_id"),
        # The target of the coding table's composite foreign key (see QuotationCodeRow).
        UniqueConstraint("id", "document_id", "coder_id", name="uq_quotations_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    guid: Mapped[str | None] = mapped_column(String(40))
    # Who changed its span or comment last, and when (NULL: never; see 0006).
    modified_by: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    modified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Its codes' ids in order when it has two or more, else NULL (see 0007): kept by
    # every write of codings, read by the category counts.
    code_set: Mapped[str | None] = mapped_column(Text)


class QuotationCodeRow(Base):
    """A code on a quotation. It repeats the quotation's document and coder so that the
    citation counts come from one covering index; a composite foreign key with ON UPDATE
    CASCADE keeps the copies equal to the quotation's own."""

    __tablename__ = "quotation_codes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["quotation_id", "document_id", "coder_id"],
            ["quotations.id", "quotations.document_id", "quotations.coder_id"],
            name="fk_quotation_codes_quotation",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("ix_quotation_codes_counts", "code_id", "document_id", "coder_id"),
    )

    quotation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(Integer)  # also the coding's creating user
    # When the coding was made (NULL: before 0006; the quotation's date stands in).
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OperationRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)  # JSON
    reversible: Mapped[bool] = mapped_column(Boolean, default=False)
    undo_of: Mapped[int | None] = mapped_column(ForeignKey("operations.id"))


class SettingRow(Base):
    """Project-wide settings: the default tree, the remembered coder, and the like."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class MemoRow(Base):
    """A memo about the project (no target), a document, a code or a quotation."""

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN quotation_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    text: Mapped[str] = mapped_column(Text)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    quotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("quotations.id", ondelete="CASCADE")
    )


class CodeGroupRow(Base):
    __tablename__ = "code_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    description: Mapped[str] = mapped_column(Text)


class CodeGroupMemberRow(Base):
    __tablename__ = "code_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("code_groups.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True
    )


class DocumentGroupRow(Base):
    __tablename__ = "document_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    description: Mapped[str] = mapped_column(Text)


class DocumentGroupMemberRow(Base):
    __tablename__ = "document_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("document_groups.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )


class ConsensusPassageRow(Base):
    """A passage of a consensus between coders A and B: one code, one document, the
    span both coders' quotations cover there, and the decision taken so far."""

    __tablename__ = "consensus_passages"
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="span"),
        UniqueConstraint("consensus_coder_id", "document_id", "code_id", "start", "end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consensus_coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    coder_a_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    coder_b_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    a_spans: Mapped[str] = mapped_column(Text)  # JSON [[start, end], ...]
    b_spans: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(20))


class DocumentAssignmentRow(Base):
    """The coder whose coding of a document is final where it has no consensus."""

    __tablename__ = "document_assignments"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))


class PositionRow(Base):
    """Where a respondent (a document) placed a point (x, y) for a named placement, and
    optionally the quotation in which they explain it."""

    __tablename__ = "positions"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    placement: Mapped[str] = mapped_column(String(100), primary_key=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    quotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("quotations.id", ondelete="SET NULL"), nullable=True
    )
