"""Bulk writes and the helpers every repository shares: ids, timestamps, IN-list chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from workbench.storage.models import (
    CodeRow,
    DocumentRow,
    QuotationCodeRow,
    QuotationRow,
    SettingRow,
)

# Bulk writes go through the tables, not the ORM: the same SQL, without per-row bookkeeping.
DOCUMENTS = cast(Table, DocumentRow.__table__)


QUOTATIONS = cast(Table, QuotationRow.__table__)


QUOTATION_CODES = cast(Table, QuotationCodeRow.__table__)


CODES = cast(Table, CodeRow.__table__)


SETTINGS = cast(Table, SettingRow.__table__)


def now() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime | str | None) -> str | None:
    """A stored time as ISO 8601 in UTC, the same on SQLite (which keeps no zone) and on
    PostgreSQL, so that a change set's "before" compares equal to what is stored."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows of `table`, to insert explicitly.

    SQLite: the ones after the largest ever handed out (kept in the settings, safe inside
    the write transaction), so that, as with PostgreSQL's sequences, an id freed by an
    undo is never another row's: a redo brings the row back under its id, and the log's
    mentions of it keep meaning that row. PostgreSQL: drawn from the table's sequence,
    so that concurrent writers never collide.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "sqlite":
        key = f"ids.{table.name}"
        mark = session.scalar(select(SETTINGS.c.value).where(SETTINGS.c.key == key))
        first = max(int(session.scalar(select(func.max(table.c.id))) or 0), int(mark or 0)) + 1
        last = str(first + count - 1)
        session.execute(
            sqlite_insert(SETTINGS)
            .values(key=key, value=last)
            .on_conflict_do_update(index_elements=["key"], set_={"value": last})
        )
        return list(range(first, first + count))
    sequence = func.pg_get_serial_sequence(table.name, "id")
    return [
        int(value)
        for value in session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        )
    ]


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (dicts with the same keys) with one executemany."""
    if rows:
        names = tuple(rows[0])
        values = itemgetter(*names)
        insert_rows(
            session,
            table,
            names,
            [values(row) for row in rows] if len(names) > 1 else [(row[names[0]],) for row in rows],
        )


def insert_rows(
    session: Session, table: Table, names: Sequence[str], values: list[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples in the order of `names`, with one executemany.

    On SQLite the rows go straight to the driver: SQLAlchemy's per-row parameter
    handling costs more than the insert itself for the hundreds of thousands of rows
    a codings import brings. Values pass through the column types' bind processors
    (a datetime becomes SQLAlchemy's text form), so the stored values are the same.
    """
    if not values:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in values])
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table.name, ", ".join(f'"{name}"' for name in names), ", ".join("?" * len(names))
    )
    for index, name in enumerate(names):
        processor = (
            table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        )
        if processor is not None:
            # Few distinct values (one creation time for a whole import): convert each once.
            converted: dict[Any, Any] = {}
            for position, row in enumerate(values):
                value = row[index]
                if value not in converted:
                    converted[value] = None if value is None else processor(value)
                values[position] = (*row[:index], converted[value], *row[index + 1 :])
    connection.exec_driver_sql(sql, values)


def chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices of at most `size` items, to keep SQL IN lists short."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
