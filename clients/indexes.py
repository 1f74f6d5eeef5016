"""PostgreSQL-only search indexes that leave SQLite (the `make run` default) alone.

`text_search_indexes(prefix=..., fields=[...])` returns the indexes that serve
`clients.search.text_filter(queryset, fields, query)`; put them in the model's Meta.indexes.
Trigram indexes install pg_trgm themselves when missing (clients.0002 also does), and bigram
indexes create the `gonggam_bigrams` function themselves, so their migrations need no particular
order.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db.models import Func, TextField
from django.db.models.functions import Upper

SEARCH_CONFIG = "simple"  # the same configuration text_filter uses
_NOOP_SQL = "SELECT 1"

BIGRAMS_FUNCTION = "gonggam_bigrams"
# The two-character substrings of UPPER(value) that contain no whitespace (a search word never
# does), e.g. '무료배송 요청' -> {무료,료배,배송,요청}. UPPER as in Django's icontains
# (`UPPER(col) LIKE UPPER('%word%')`), so for a two-character word w
# `gonggam_bigrams(col) @> gonggam_bigrams(w)` holds exactly when `col icontains w`: the bigram
# index answers two-character words without a recheck. Like pg_bigm, without an extension
# (the stock postgres image has none).
# IMMUTABLE because indexes store its results: never change this body in place (indexes built
# with the old one would silently miss rows); add gonggam_bigrams_v2 and new indexes instead.
# COST 1000 (clients.0010): the planner's default of 100 made a sequential scan that calls it on
# every row look cheaper than the bigram indexes (210 ms against 5 ms for 배송 over 1,000
# articles); COST changes only plans, never results.
# PARALLEL SAFE lets CREATE INDEX use parallel workers. plpgsql is ~1.5x faster than the same
# thing written as one SQL query (which cannot be inlined because of its FROM clause).
BIGRAMS_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION gonggam_bigrams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $gonggam_bigrams$
DECLARE
  folded text := translate(upper(value), E'\t\n\r\f\x0B', '     ');
  pairs text[] := '{}';
  pair text;
BEGIN
  FOR i IN 1 .. char_length(folded) - 1 LOOP
    pair := substr(folded, i, 2);
    IF position(' ' IN pair) = 0 THEN
      pairs := pairs || pair;
    END IF;
  END LOOP;
  RETURN pairs;
END
$gonggam_bigrams$
"""


class Bigrams(Func):
    """`gonggam_bigrams(expression)`: the set of two-character substrings (see BIGRAMS_FUNCTION_SQL)."""

    function = BIGRAMS_FUNCTION
    arity = 1
    output_field = ArrayField(TextField())


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index on PostgreSQL; nothing at all on other databases (SQLite has no GIN)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NOOP_SQL
        statement = super().create_sql(model, schema_editor, using=using, **kwargs)
        if "gin_trgm_ops" in str(statement):
            # Whatever order apps' migrations run in, the operator class must exist first.
            return f"CREATE EXTENSION IF NOT EXISTS pg_trgm; {statement}"
        if f"{BIGRAMS_FUNCTION}(" in str(statement):
            # The same for the function (replacing it with the identical body is harmless).
            return f"{BIGRAMS_FUNCTION_SQL}; {statement}"
        return statement

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return _NOOP_SQL
        return super().remove_sql(model, schema_editor, **kwargs)


def text_search_indexes(*, prefix: str, fields: list[str]) -> list:
    """Indexes for text_filter over `fields`; `prefix` keeps names unique (30 characters at most).

    - one trigram index per field: `UPPER(field::text) LIKE UPPER('%word%')` (icontains, words of
      three or more characters);
    - one bigram index per field: `gonggam_bigrams(field) @> gonggam_bigrams('word')` (words of
      exactly two characters, e.g. 배송, 견적);
    - one full-text index: `to_tsvector('simple', COALESCE(f1, '') || ' ' || ...) @@ query`.
    """
    indexes = [
        PostgresOnlyGinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"{prefix}_{field}_trgm"[:30])
        for field in fields
    ]
    indexes += [PostgresOnlyGinIndex(Bigrams(field), name=f"{prefix}_{field}_bigram"[:30]) for field in fields]
    indexes.append(PostgresOnlyGinIndex(SearchVector(*fields, config=SEARCH_CONFIG), name=f"{prefix}_fts"[:30]))
    return indexes
