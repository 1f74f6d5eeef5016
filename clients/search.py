"""One search box for the whole CRM: a registry of search providers.

Each app registers a provider for its kinds of records in its AppConfig.ready()::

    from clients import search
    search.register(MessageSearchProvider())

so `clients` never imports the apps above it. A provider returns plain-text `SearchHit`s; the
search page escapes them and highlights the query (`{{ hit.snippet|highlight:query }}`).

Matching (`text_filter`) on PostgreSQL
--------------------------------------
A row matches when *every* word of the query is found as a substring (case-insensitive) in one
of the fields. Substring matching is what makes Korean and other CJK text searchable:
PostgreSQL's full-text parser only splits on spaces and punctuation, so "유지보수" would not match
"유지보수계약" and "배송" would not match "무료배송", but a substring match does.
- Words of three or more characters: `icontains`, served by trigram indexes (pg_trgm).
- Words of two characters (very common in Korean: 배송, 계약, 견적): served by bigram indexes,
  `gonggam_bigrams(field) @> gonggam_bigrams('배송')`, which is exactly `icontains` for a
  two-character word (see clients.indexes.Bigrams), so "배송" finds "재배송" and "무료배송".
- Words of one character: re-checked (`icontains`) on the rows the other words found; when every
  word is a single character they are matched as word prefixes through the full-text index
  ("김" finds "김하늘" but not "이김"), unless the caller asks for `exhaustive=True` (small tables
  such as contacts), which matches them as substrings with a sequential scan.
When the query is more than plain words (websearch syntax such as "-word", "a or b", a quoted
phrase, or punctuation as in "e-mail"), the full-text search (`simple` configuration, websearch
syntax) is asked as well, and a row matching it matches too. For plain words it would only find
a subset of the substring matches, so it is left out (a second index scan over every hit).

Indexes (add `*clients.indexes.text_search_indexes(prefix=..., fields=[...])` to the model's
Meta.indexes; they create pg_trgm and the `gonggam_bigrams` function themselves when missing):
- `UPPER(field::text) LIKE UPPER('%word%')` (Django's `icontains`) is served by a GIN trigram
  index on `UPPER(field)` with `gin_trgm_ops`, one per field (PostgreSQL combines them with a
  BitmapOr).
- `gonggam_bigrams(field) @> '{배송}'` is served by a GIN index on `gonggam_bigrams(field)`, one
  per field. ANALYZE keeps per-bigram frequencies for it, so the planner's row estimates are good.
- `to_tsvector('simple', coalesce(f1,'') || ' ' || ...) @@ websearch_to_tsquery(...)` is served by
  one GIN index on exactly that expression (`SearchVector(*fields, config="simple")`).
A common word matches many rows (배송: 40,000 of 1,000,000 messages), so a provider over a large
table should pick the newest matching ids on that table alone and join only those (see
followups.conversations.search).
On SQLite (the `make run` default) a plain `icontains` is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.contrib.postgres.lookups import DataContains as Contains
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, Value

from agency_crm.params import clean_text

from .indexes import Bigrams

logger = logging.getLogger(__name__)

SEARCH_CONFIG = "simple"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# pg_trgm needs three characters of a word to use its index.
TRIGRAM_MIN_LENGTH = 3
# Two-character words use the bigram indexes (clients.indexes.Bigrams).
BIGRAM_LENGTH = 2
# A word the full-text parser keeps whole (letters and digits, no "_" or punctuation).
_PLAIN_WORD = re.compile(r"[^\W_]+")


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
    """The query as searched and shown: no control characters (PostgreSQL text cannot hold NUL),
    single spaces, at most MAX_QUERY_LENGTH characters."""
    return " ".join(clean_text(query, max_length=10 * MAX_QUERY_LENGTH).split())[:MAX_QUERY_LENGTH]


# A "-" that does not stand right before a word or a quote negates nothing; a run of them made
# websearch_to_tsquery fail with "tsquery stack too small" (about 30 in a row).
_LONE_MINUS = re.compile(r'-(?![^\W_]|")')


def websearch_text(query: str) -> str:
    """`query` for websearch_to_tsquery: every "-" left negates a word or a quoted phrase."""
    return _LONE_MINUS.sub(" ", normalize_query(query))


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


# Particles and endings that follow a Korean noun, longest first (one is taken off a word of
# three or more characters, so the noun itself is searched: "배송이", "배송은" -> "배송"). A lone
# "요" is not one: it ends verbs and greetings, and taking it off left "안녕하세", "늦어".
_PARTICLES = sorted(
    "이 가 은 는 을 를 에 의 도 로 와 과 만 으로 에서 에게 까지 부터 처럼 보다 이랑 하고 이나 인데 입니다 합니다 "
    "해요 했어요 해주세요 주세요 인가요 나요 가요 습니다 였습니다 되나요 될까요 할까요 관련 "
    "할 할때 된 되는".split(),
    key=len,
    reverse=True,
)
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def strip_particle(word: str) -> str:
    """`word` without one common Korean particle or ending ("배송이" -> "배송"), leaving at least two
    characters; other words as they are. The search box and the suggested answers both use it."""
    if len(word) >= 3 and _HANGUL.match(word):
        for particle in _PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                return word[: -len(particle)]
    return word


def query_terms(query: str) -> list[str]:
    """The query's words as searched: a Korean word loses a trailing particle ("배송이" finds what
    "배송" finds), duplicates go, at most MAX_TERMS."""
    terms = []
    for term in normalize_query(query).split(" "):
        term = strip_particle(term)
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


def _any_field_bigram(fields: list[str], term: str) -> Q:
    """A two-character `term` in any of `fields`, exactly as icontains would find it.

    Served by GinIndex(Bigrams(field)) (`gonggam_bigrams(field) @> gonggam_bigrams('배송')`; the
    right side is folded into a constant array when the query is planned). No recheck is needed:
    a two-character word is one bigram.
    """
    condition = Q()
    for field in fields:
        condition |= Q(Contains(Bigrams(field), Bigrams(Value(term))))
    return condition


def text_filter(queryset, fields: list[str], query: str, *, exhaustive: bool = False):
    """`queryset` narrowed to rows matching `query` in any of `fields` (see module docstring).

    Every word must be found (in any of the fields); an empty query matches nothing.
    `exhaustive=True` also matches one-character words as substrings when no longer word narrows
    the rows, e.g. the family name "김" in "김하늘". That costs a sequential scan for such queries,
    so use it only on small tables (clients, contacts), never on messages.
    """
    terms = query_terms(query)
    if not terms or not fields:
        return queryset.none()
    if not _is_postgres(queryset):
        return queryset.filter(_all_terms(fields, terms))
    # Words of three or more characters go through the trigram indexes, words of two characters
    # (common in Korean: 배송, 계약, 견적) through the bigram indexes; both are substring matches,
    # so "배송" finds "무료배송". A one-character word has no index of its own: it is re-checked on
    # the rows the other words found or, when every word is a single character, matched as a word
    # prefix through the full-text index ("김" finds "김하늘", not "이김").
    long_terms = [t for t in terms if len(t) >= TRIGRAM_MIN_LENGTH]
    pair_terms = [t for t in terms if len(t) == BIGRAM_LENGTH]
    single_terms = [t for t in terms if len(t) < BIGRAM_LENGTH]
    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    words = _all_terms(fields, long_terms)
    for term in pair_terms:
        words &= _any_field_bigram(fields, term)
    if long_terms or pair_terms or exhaustive:
        words &= _all_terms(fields, single_terms)
    else:
        prefixes = [re.sub(r"[^\w]", "", term) for term in single_terms]
        if not all(prefixes):
            words &= _all_terms(fields, single_terms)
        else:
            raw = " & ".join(f"{prefix}:*" for prefix in prefixes)
            words &= Q(_search_vector=SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw"))
    if all(_PLAIN_WORD.fullmatch(term) for term in terms) and not any(t.lower() == "or" for t in terms):
        # Plain words only: whatever the full-text search would find, the substring match above
        # finds too, so leave it out (it costs a second index scan over every matching row).
        return queryset.alias(_search_vector=vector).filter(words)
    # Served by GinIndex(SearchVector(*fields, config="simple")); catches the websearch syntax
    # ("-word", "a or b", "quoted phrase") and words split by punctuation ("e-mail").
    fulltext = SearchQuery(websearch_text(query), config=SEARCH_CONFIG, search_type="websearch")
    return queryset.alias(_search_vector=vector).filter(Q(_search_vector=fulltext) | words)


def indexed_per_field(term: str) -> bool:
    """Whether text_filter serves `term` through each field's own trigram or bigram index alone
    (a plain word of two or more characters), so that it may be searched one field at a time."""
    return len(term) >= BIGRAM_LENGTH and bool(_PLAIN_WORD.fullmatch(term))


# A search word that is (part of) a phone number: digits and the separators phone_validator allows.
_PHONE_WORD = re.compile(r"\+?[0-9 ()\-]+")
PHONE_MIN_DIGITS = 3
# A whole national number (010-1234-5678 has 11 digits) is also looked for without its leading 0,
# so it finds the international form (+82 10-1234-5678).
NATIONAL_NUMBER_DIGITS = 9


def phone_digits_match(word: str) -> Q | None:
    """Contacts whose phone holds `word`'s digits in a row, however either was written
    ("01012345678" and "1234-5678" find 010-1234-5678), or None when `word` is not a phone
    number. Reads the stored generated column Contact.phone_digits."""
    if not _PHONE_WORD.fullmatch(word):
        return None
    digits = re.sub(r"[^0-9]", "", word)
    if len(digits) < PHONE_MIN_DIGITS:
        return None
    condition = Q(phone_digits__contains=digits)
    if len(digits) >= NATIONAL_NUMBER_DIGITS and digits.startswith("0"):
        condition |= Q(phone_digits__contains=digits[1:])
    return condition


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


def any_word_filter(queryset, fields: list[str], words: list[str]):
    """`queryset` narrowed to rows holding at least one of `words` (of two or more characters) in
    any of `fields`, as plain substrings (icontains). For the small tables the suggested answers
    rank (saved replies, articles): an OR of many words matches a large share of their rows, so
    PostgreSQL scans them, and a LIKE per row is cheap where the plpgsql bigram function per row
    is not (400 ms against 5 ms at 1,000 articles). No words match nothing."""
    words = [word for word in words if len(word) >= BIGRAM_LENGTH]
    if not words or not fields:
        return queryset.none()
    condition = Q()
    for word in words:
        condition |= _any_field(fields, word)
    return queryset.filter(condition)
