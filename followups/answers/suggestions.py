"""Suggested answers: the saved replies and knowledge base articles that best match what a
conversation is about, through the search machinery of clients.search (the same trigram and
bigram indexes as the global search).

What a conversation is about: the words of its subject (counted twice) and of its latest customer
messages, lower-cased, with common Korean particles taken off the end ("배송이" -> "배송") and
stop words left out; the most frequent KEYWORDS of them are searched. A candidate scores, per
keyword it holds, TITLE_WEIGHT in its title, TAG_WEIGHT in its tags, else BODY_WEIGHT in its text;
the best LIMIT of both kinds together are shown, highest score first. Two queries (one per kind),
whatever the number of messages, replies or articles: the keyword search is index-served and the
score is computed only on the rows it finds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from clients.search import any_word_filter, strip_particle

from ..conversations.models import Conversation, Message
from ..knowledge.models import ARTICLE_SEARCH_FIELDS, Article
from .models import SavedReply
from .services import saved_replies_for

KEYWORDS = 8
LIMIT = 6
# Customer messages read for keywords, newest first.
MESSAGES_READ = 5
# Characters of each message read (a long pasted log must not cost the page).
MESSAGE_CHARACTERS = 2000
TITLE_WEIGHT, TAG_WEIGHT, BODY_WEIGHT = 3, 2, 1
REPLY_FIELDS = ["title", "tags", "body_ko", "body_en"]

_WORD = re.compile(r"[^\W_]{2,}")
STOP_WORDS = set(
    """
    the and for you your our are was were with that this have has had not but can will would could should
    please thanks thank hello dear regards from about what when where which who how any all just also into
    there their them they its it's been being get got let know need want like one two out
    안녕하세요 감사합니다 감사드립니다 고맙습니다 부탁드립니다 부탁합니다 문의 문의드립니다 확인 그리고 그런데
    혹시 다시 이번 지금 오늘 내일 어제 저희 우리 제가 있는 있습니다 없습니다 했는데 하는 해서 그래서 이거 그거
    납니다 됩니다 합니다 있어요 없어요 계속 언제 어떻게 어디 무엇 얼마나 되나 하나 되나요 하나요
    궁금 궁금합니다 궁금해요 가능 가능한가요 요청 요청드립니다 수고하세요 고마워요 고맙습니다 감사해요
    """.split()
)


def keywords_of(texts: list[tuple[str, int]], limit: int = KEYWORDS) -> list[str]:
    """The `limit` most frequent words of (text, weight) pairs, stemmed, without stop words."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for text, weight in texts:
        for match in _WORD.finditer((text or "")[:MESSAGE_CHARACTERS].lower()):
            word = strip_particle(match.group(0))
            if word in STOP_WORDS or word.isdigit() or len(word) < 2:
                continue
            counts[word] += weight
            first_seen.setdefault(word, len(first_seen))
    ranked = sorted(counts, key=lambda word: (-counts[word], first_seen[word]))
    return ranked[:limit]


def conversation_keywords(conversation: Conversation, messages: list[Message] | None = None) -> list[str]:
    """What `conversation` is about. `messages` (any order) saves a query when the caller has them."""
    if messages is None:
        messages = list(
            conversation.messages.filter(direction=Message.Direction.FROM_CUSTOMER)
            .order_by("-occurred_at", "-id")
            .only("body", "direction", "occurred_at", "conversation_id")[:MESSAGES_READ]
        )
    else:
        customer = [m for m in messages if m.direction == Message.Direction.FROM_CUSTOMER]
        messages = sorted(customer, key=lambda m: (m.occurred_at, m.pk), reverse=True)[:MESSAGES_READ]
    return keywords_of([(conversation.subject, 2)] + [(m.body, 1) for m in messages])


@dataclass
class Suggestion:
    kind: str  # "reply" or "article"
    item: object
    score: int
    words: list[str] = field(default_factory=list)


def _like_pattern(word: str) -> str:
    """`word` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _score(model, words: list[str], *, title: list[str], tags: list[str], body: list[str]) -> RawSQL:
    """Sum over `words` of the weight of the best field holding it (0 when none does), as one
    SQL expression: each CASE stops at the first field that holds the word, and a few lines of
    SQL compile in microseconds where the same built from Case/When objects took about 20 ms."""
    table = connection.ops.quote_name(model._meta.db_table)

    def holds(fields):
        return " OR ".join(
            f"UPPER({table}.{connection.ops.quote_name(name)}) LIKE UPPER(%s) ESCAPE '\\'" for name in fields
        )

    cases, params = [], []
    for word in words:
        pattern = _like_pattern(word)
        cases.append(
            f"CASE WHEN {holds(title)} THEN {TITLE_WEIGHT} WHEN {holds(tags)} THEN {TAG_WEIGHT} "
            f"WHEN {holds(body)} THEN {BODY_WEIGHT} ELSE 0 END"
        )
        params += [pattern] * (len(title) + len(tags) + len(body))
    # Only our own column names and weights are in the SQL; every word is a parameter.
    return RawSQL(" + ".join(cases), params, output_field=IntegerField())  # noqa: S611


def _words_in(item, words: list[str], fields: list[str]) -> list[str]:
    text = " ".join(str(getattr(item, name) or "") for name in fields).lower()
    return [word for word in words if word in text]


def suggested_answers(*, conversation: Conversation, user, words: list[str] | None = None, limit: int = LIMIT):
    """The best `limit` saved replies (those `user` may use) and current articles for `conversation`."""
    words = conversation_keywords(conversation) if words is None else words
    if not words:
        return []
    # Every row is scored in one pass (ordered by score, the zeros dropped below): no second
    # pass of the same LIKEs to filter first. Saved replies and articles are small tables.
    replies = (
        saved_replies_for(user)
        .select_related(None)
        .annotate(score=_score(SavedReply, words, title=["title"], tags=["tags"], body=["body_ko", "body_en"]))
        .order_by("-score", "-usage_count", "title", "id")
        .only(*REPLY_FIELDS, "id", "usage_count")[:limit]
    )
    articles = (
        Article.objects.current()
        .annotate(score=_score(Article, words, title=["title"], tags=["tags"], body=["body"]))
        .order_by("-score", "-updated_at", "id")
        .only("id", "title", "tags", "body", "updated_at")[:limit]
    )
    replies = [r for r in replies if r.score > 0]
    articles = [a for a in articles if a.score > 0]
    found = [Suggestion("reply", r, r.score, _words_in(r, words, REPLY_FIELDS)) for r in replies]
    found += [Suggestion("article", a, a.score, _words_in(a, words, ARTICLE_SEARCH_FIELDS)) for a in articles]
    found.sort(key=lambda s: (-s.score, s.kind != "reply"))
    return found[:limit]


def answered_topics(names: list[str]) -> set[str]:
    """Which of `names` (topics, questions) a shared saved reply or a current article already
    answers: the name is in its title or tags (case-insensitive). Two queries."""
    names = [name for name in dict.fromkeys(names) if len(name) >= 2]
    if not names:
        return set()
    texts = [
        f"{title} {tags}".lower()
        for queryset in (SavedReply.objects.filter(shared=True), Article.objects.current())
        for title, tags in any_word_filter(queryset, ["title", "tags"], names).values_list("title", "tags")
    ]
    return {name for name in names if any(name.lower() in text for text in texts)}
