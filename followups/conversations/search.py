"""The "conversations" (subjects) and "messages" (bodies) search providers (registered in
FollowupsConfig.ready())."""

from django.utils import timezone
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
        newest = text_filter(Conversation.objects.all(), ["subject"], query).order_by("-created_at", "-id")
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
                meta=f"{conversation.client.name} · {conversation.get_status_display()} · "
                f"{timezone.localtime(conversation.created_at):%Y-%m-%d}",
            )
            for conversation in conversations
        ]


class MessageSearchProvider:
    key = "messages"
    label = _("Messages")
    order = 60

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: text_filter is served by the message_body_trgm / message_body_bigram /
        # message_fts indexes. The newest `limit` matching ids are picked from the message table
        # alone and only those rows are joined: a common word (배송) matches tens of thousands of
        # messages at 1M rows, and joining every match before the sort cost more than the search.
        # (An index on occurred_at would let PostgreSQL stop after ten hits, but for a rare word it
        # walks the whole table filtering row by row, seconds instead of milliseconds.)
        newest = text_filter(Message.objects.all(), ["body"], query).order_by("-occurred_at", "-id")
        messages = (
            Message.objects.filter(pk__in=newest.values("pk")[:limit])
            .select_related("conversation__client", "author_contact", "author_user")
            .order_by("-occurred_at", "-id")
        )
        return [
            SearchHit(
                title=message.conversation.subject,
                snippet=make_snippet(message.body, query),
                url=message.conversation.get_absolute_url() + f"#message-{message.pk}",
                meta=f"{message.conversation.client.name} · {message.author_name()} · "
                f"{timezone.localtime(message.occurred_at):%Y-%m-%d %H:%M}",
            )
            for message in messages
        ]
