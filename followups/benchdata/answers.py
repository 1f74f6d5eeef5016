"""Saved replies and knowledge base articles of the benchmark data (the suggested answers panel
searches them), drawn from the same vocabulary as the conversations."""

from __future__ import annotations

import random

from followups.models import Article, ArticleRevision, SavedReply

from .words import BODY_EN, BODY_KO, REPLIES_EN, REPLIES_KO, SUBJECTS_EN, SUBJECTS_KO

SAVED_REPLIES = 300
ARTICLES = 1000


def bench_answers(*, rng: random.Random, staff: list, replies: int = SAVED_REPLIES, articles: int = ARTICLES) -> dict:
    topics = SUBJECTS_KO + SUBJECTS_EN
    SavedReply.objects.bulk_create(
        SavedReply(
            title=f"{rng.choice(topics)} {n}",
            body_ko=f"{rng.choice(REPLIES_KO)} {rng.choice(BODY_KO)}",
            body_en=f"{rng.choice(REPLIES_EN)} {rng.choice(BODY_EN)}",
            tags=", ".join(rng.sample(topics, 2)),
            shared=n % 5 != 0,
            created_by=rng.choice(staff),
        )
        for n in range(replies)
    )
    rows = []
    for n in range(articles):
        korean = n % 2 == 0
        body = "\n\n".join(rng.sample(BODY_KO if korean else BODY_EN, 4))
        rows.append(
            Article(
                title=f"{rng.choice(SUBJECTS_KO if korean else SUBJECTS_EN)} {n}",
                body=body,
                tags=", ".join(rng.sample(topics, 2)),
                created_by=rng.choice(staff),
                updated_by=rng.choice(staff),
            )
        )
    created = Article.objects.bulk_create(rows)
    ArticleRevision.objects.bulk_create(
        ArticleRevision(
            article=a, number=1, title=a.title, body=a.body, tags=a.tags, edited_by=a.created_by, edited_at=a.updated_at
        )
        for a in created
    )
    return {"saved_replies": replies, "articles": articles}
