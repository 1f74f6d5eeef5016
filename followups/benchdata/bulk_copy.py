"""COPY plumbing for the benchmark load: rows with ids assigned here, sequences and indexes after."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management.base import CommandError
from django.db import connection, models

BATCH_ROWS = 200_000


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


class CopyWriter:
    """Buffers rows of one model and sends them with COPY ... FROM STDIN (text format)."""

    def __init__(self, model, given: set[str], **fixed):
        self.model = model
        # Generated columns (Contact.phone_digits) are computed by the database, never given.
        self.columns = [f for f in model._meta.concrete_fields if not f.generated]
        self.defaults = dict(fixed)
        for f in self.columns:
            if f.attname in given or f.attname in fixed:
                continue
            if f.has_default():
                if f.unique:
                    raise CommandError(f"{model.__name__}.{f.name} is unique: give it a value.")
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = ""
            else:
                raise CommandError(f"{model.__name__}.{f.name} needs a value in generate_bench_data.")
        self.buffer = io.StringIO()
        self.rows = 0
        self.total = 0

    def add(self, **values) -> None:
        row = {**self.defaults, **values}
        self.buffer.write("\t".join(_copy_value(row[f.attname]) for f in self.columns))
        self.buffer.write("\n")
        self.rows += 1
        if self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({columns}) FROM STDIN", self.buffer
            )
        self.total += self.rows
        self.buffer = io.StringIO()
        self.rows = 0


def first_free_id(model) -> int:
    """Ids are assigned here (rows refer to each other); sync_sequence() catches up afterwards."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - a model's table name
        return cursor.fetchone()[0]


def sync_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table)
        sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {quoted}"  # noqa: S608
        cursor.execute(sql, [table])


def secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of `tables` that do not back a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
            """,
            [tables],
        )
        return cursor.fetchall()
