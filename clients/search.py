"""One search box for the whole CRM: a registry of search providers.

Each app registers a provider for its kinds of records in its AppConfig.ready()::

    from clients import search
    search.register(MessageSearchProvider())

so `clients` never imports the apps above it. A provider returns plain-text `SearchHit`s; the
search page escapes them and highlights the query (`{{ hit.snippet|highlight:query }}`).

Matching (`text_filter`) on PostgreSQL
--------------------------------------
A row matches when *every* word of the query is found as a substring (case-insensitive) in one
of the fields, or when the full-text search (`simple` configuration, websearch syntax) matches.
Words shorter than three characters cannot use a trigram index: they are re-checked on the rows
the longer words found, or, when every word is short, matched as word prefixes through the
full-text index ("계약" finds "계약", "계약서", "계약을" but not the inside of "유지보수계약"),
unless the caller asks for `exhaustive=True` (small tables such as contacts, where "하늘" must
find "김하늘").
Substring matching is what makes Korean and other CJK text searchable: PostgreSQL's full-text
parser only splits on spaces and punctuation, so "유지보수" would not match "유지보수계약",
but a substring match does ("계약 갱신" finds "유지보수 계약 갱신 문의").

Indexes (add `*clients.indexes.text_search_indexes(prefix=..., fields=[...])` to the model's
Meta.indexes, and make sure a
migration of the model's app runs after `clients.0002`, which installs pg_trgm):
- `UPPER(field::text) LIKE UPPER('%word%')` (Django's `icontains`) is served by a GIN trigram
  index on `UPPER(field)` with `gin_trgm_ops`, one per field (PostgreSQL combines them with a
  BitmapOr).
- `to_tsvector('simple', coalesce(f1,'') || ' ' || ...) @@ websearch_to_tsquery(...)` is served by
  one GIN index on exactly that expression (`SearchVector(*fields, config="simple")`).
On SQLite (the `make run` default) a plain `icontains` is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q

logger = logging.getLogger(__name__)

SEARCH_CONFIG = "simple"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# pg_trgm needs three characters of a word to use its index.
TRIGRAM_MIN_LENGTH = 3


@dataclass(frozen=True)
class SearchHit:
    title: str  # plain text
    snippet: str  # plain text excerpt around the match (the template highlights the query safely)
    url: str
    meta: str = ""  # plain text, e.g. client name / date


@runtime_checkable
class SearchProvider(Protocol):
    key: str  # "clients", "contacts", "notes", "inquiries", "scope_items", "messages"
    label: str  # translatable label shown as the group heading
    order: int  # group ordering

    def search(self, query: str, limit: int) -> list[SearchHit]: ...


_providers: dict[str, SearchProvider] = {}


def register(provider: SearchProvider) -> None:
    """Add (or replace, by key) a provider. Idempotent, so ready() may run twice."""
    _providers[provider.key] = provider


def providers() -> list[SearchProvider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def normalize_query(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def search_all(query: str, limit_per_kind: int = 10) -> list[tuple[SearchProvider, list[SearchHit]]]:
    """Every provider's hits for `query`, in provider order; kinds without hits are left out.

    One or two queries per provider, whatever the number of hits.
    """
    query = normalize_query(query)
    if not query:
        return []
    results = []
    for provider in providers():
        hits = provider.search(query, limit_per_kind)
        if hits:
            results.append((provider, list(hits)))
    return results


def query_terms(query: str) -> list[str]:
    terms = []
    for term in normalize_query(query).split(" "):
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _is_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _any_field(fields: list[str], term: str) -> Q:
    condition = Q()
    for field in fields:
        # Served on PostgreSQL by GinIndex(OpClass(Upper(field), "gin_trgm_ops")).
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _all_terms(fields: list[str], terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        condition &= _any_field(fields, term)
    return condition


def text_filter(queryset, fields: list[str], query: str, *, exhaustive: bool = False):
    """`queryset` narrowed to rows matching `query` in any of `fields` (see module docstring).

    Every word must be found (in any of the fields); an empty query matches nothing.
    `exhaustive=True` also matches short words (under three characters) as substrings when every
    word is short, e.g. the given name "하늘" in "김하늘". That costs a sequential scan for such
    queries, so use it only on small tables (clients, contacts), never on messages.
    """
    terms = query_terms(query)
    if not terms or not fields:
        return queryset.none()
    if not _is_postgres(queryset):
        return queryset.filter(_all_terms(fields, terms))
    # A trigram index cannot narrow a word shorter than three characters (common in Korean:
    # 계약, 갱신), so such words are only re-checked on the rows the longer words found. When every
    # word is short, they are matched as word prefixes through the full-text index instead
    # ("계약" finds 계약, 계약서, 계약을), which keeps a search of a million rows fast.
    long_terms = [t for t in terms if len(t) >= TRIGRAM_MIN_LENGTH]
    short_terms = [t for t in terms if len(t) < TRIGRAM_MIN_LENGTH]
    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    if long_terms:
        words = _all_terms(fields, long_terms) & _all_terms(fields, short_terms)
    else:
        prefixes = [re.sub(r"[^\w]", "", term) for term in short_terms]
        if exhaustive or not all(prefixes):
            words = _all_terms(fields, short_terms)
        else:
            raw = " & ".join(f"{prefix}:*" for prefix in prefixes)
            words = Q(_search_vector=SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw"))
    # Served by GinIndex(SearchVector(*fields, config="simple")); catches words in any order
    # and the websearch syntax ("-word", "a or b").
    fulltext = SearchQuery(normalize_query(query), config=SEARCH_CONFIG, search_type="websearch")
    return queryset.alias(_search_vector=vector).filter(Q(_search_vector=fulltext) | words)


def make_snippet(text: str, query: str, width: int = 160) -> str:
    """A plain-text excerpt of `text` of about `width` characters around the first match."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in query_terms(query)]
    positions = [p for p in positions if p >= 0]
    if not positions:
        return text[: width - 1].rstrip() + "…"
    first = min(positions)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    excerpt = text[start:end].strip()
    return ("…" if start > 0 else "") + excerpt + ("…" if end < len(text) else "")


def highlight_spans(text: str, query: str) -> Iterable[tuple[str, bool]]:
    """Split plain `text` into (piece, is_match) pairs for the query's words (case-insensitive)."""
    terms = sorted(query_terms(query), key=len, reverse=True)
    if not text or not terms:
        yield text or "", False
        return
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            yield text[last : match.start()], False
        yield match.group(0), True
        last = match.end()
    if last < len(text):
        yield text[last:], False
