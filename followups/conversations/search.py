"""The "conversations" (subjects) and "messages" (bodies) search providers (registered in
FollowupsConfig.ready())."""

import datetime as dt

from django.db import connection
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.search import SearchHit, make_snippet, text_filter

from .models import Conversation, Message


class ConversationSearchProvider:
    key = "conversations"
    label = _("Conversations")
    order = 55

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query, the same rules as message bodies: text_filter is served by the
        # conversation_subject_trgm / _bigram / conversation_fts indexes, and the newest `limit`
        # matching ids are picked from the conversation table alone before the client is joined.
        newest = text_filter(Conversation.objects.filter(merged_into__isnull=True), ["subject"], query).order_by(
            "-created_at", "-id"
        )
        conversations = (
            Conversation.objects.filter(pk__in=newest.values("pk")[:limit])
            .select_related("client")
            .order_by("-created_at", "-id")
        )
        return [
            SearchHit(
                title=conversation.subject,
                snippet="",
                url=conversation.get_absolute_url(),
                # The day the conversation last moved, in the reader's format (2026년 11월 5일 (목)).
                meta=f"{conversation.client.name} · {conversation.get_status_display()} · "
                + date_format(
                    timezone.localtime(conversation.last_message_at or conversation.created_at), "DATE_FORMAT"
                ),
            )
            for conversation in conversations
        ]


class MessageSearchProvider:
    key = "messages"
    label = _("Messages")
    order = 60

    def search(self, query: str, limit: int) -> list[SearchHit]:
        messages = (
            Message.objects.filter(pk__in=newest_matching_ids(query, limit))
            .select_related("conversation__client", "author_contact", "author_user")
            # At most 2 × limit rows, sorted here: an ORDER BY occurred_at on this outer query could
            # be served by walking the occurred_at index backwards, filtering by the id list.
            .order_by()
        )
        messages = sorted(messages, key=lambda message: (message.occurred_at, message.pk), reverse=True)[:limit]
        return [
            SearchHit(
                title=message.conversation.subject,
                snippet=make_snippet(message.body, query),
                # The whole thread: an older message is not among the newest the page opens on.
                url=message.conversation.get_absolute_url() + f"?thread=all#message-{message.pk}",
                meta=f"{message.conversation.client.name} · {message.author_name()} · "
                + date_format(timezone.localtime(message.occurred_at), "DATETIME_FORMAT"),
            )
            for message in messages
        ]


# The window the newest matches of a common word are looked for in first.
RECENT_WINDOW = dt.timedelta(days=7)


def newest_matching_ids(query: str, limit: int):
    """The ids of the newest `limit` messages matching `query` (a subquery; one SQL statement).

    text_filter is served by the message_body_trgm / _bigram / message_fts indexes. A common word
    (배송) matches tens of thousands of messages at 1M rows, and sorting them all by time meant
    reading every one of their rows. So the last RECENT_WINDOW is searched first: PostgreSQL ANDs
    the word's index with the message_occurred_at range, and reads only the rows of that week.
    The older messages are searched only when the week held fewer than `limit` matches (a one-time
    filter: the second branch never runs otherwise), so a rare word still finds its old matches.
    Both branches order by `occurred_at + 0` so that neither walks the occurred_at index backwards
    filtering row by row (for a word absent from that index's newest rows: the whole table).
    """
    matching = text_filter(Message.objects.all(), ["body"], query)
    if connection.vendor != "postgresql":  # SQLite (make run): a plain sort of the matches
        return matching.order_by("-occurred_at", "-id").values("pk")[:limit]
    cutoff = timezone.now() - RECENT_WINDOW
    unindexed_time = ExpressionWrapper(
        F("occurred_at") + Value(dt.timedelta(0), output_field=DurationField()), output_field=DateTimeField()
    )

    def newest(queryset):
        return (
            queryset.annotate(_unindexed_time=unindexed_time)
            .order_by("-_unindexed_time", "-id")
            .values("pk")[:limit]
            .query.sql_with_params()
        )

    recent_sql, recent_params = newest(matching.filter(occurred_at__gte=cutoff))
    older_sql, older_params = newest(matching.filter(occurred_at__lt=cutoff))
    # Only the ORM's own SQL is interpolated; every value is a parameter.
    sql = (
        f"WITH recent AS MATERIALIZED ({recent_sql}) SELECT pk FROM recent"  # noqa: S608
        f" UNION ALL SELECT pk FROM ({older_sql}) AS older WHERE (SELECT count(*) FROM recent) < %s"
    )
    return RawSQL(sql, (*recent_params, *older_params, limit))  # noqa: S611
