"""PostgreSQL-only search indexes that leave SQLite (the `make run` default) alone.

`text_search_indexes(prefix=..., fields=[...])` returns the indexes that serve
`clients.search.text_filter(queryset, fields, query)`; put them in the model's Meta.indexes.
Trigram indexes install pg_trgm themselves when missing (clients.0002 also does), so their
migrations need no particular order.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db.models.functions import Upper

SEARCH_CONFIG = "simple"  # the same configuration text_filter uses
_NOOP_SQL = "SELECT 1"


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index on PostgreSQL; nothing at all on other databases (SQLite has no GIN)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NOOP_SQL
        statement = super().create_sql(model, schema_editor, using=using, **kwargs)
        if "gin_trgm_ops" in str(statement):
            # Whatever order apps' migrations run in, the operator class must exist first.
            return f"CREATE EXTENSION IF NOT EXISTS pg_trgm; {statement}"
        return statement

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NOOP_SQL
        return super().remove_sql(model, schema_editor, **kwargs)


def text_search_indexes(*, prefix: str, fields: list[str]) -> list:
    """Indexes for text_filter over `fields`; `prefix` keeps names unique (30 characters at most).

    - one trigram index per field: `UPPER(field::text) LIKE UPPER('%word%')` (icontains);
    - one full-text index: `to_tsvector('simple', COALESCE(f1, '') || ' ' || ...) @@ query`.
    """
    indexes = [
        PostgresOnlyGinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"{prefix}_{field}_trgm"[:30])
        for field in fields
    ]
    indexes.append(PostgresOnlyGinIndex(SearchVector(*fields, config=SEARCH_CONFIG), name=f"{prefix}_fts"[:30]))
    return indexes
