"""The "messages" search provider (registered in FollowupsConfig.ready())."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.search import SearchHit, make_snippet, text_filter

from .models import Message


class MessageSearchProvider:
    key = "messages"
    label = _("Messages")
    order = 60

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: text_filter is served by the message_body_trgm / message_fts indexes.
        messages = (
            text_filter(Message.objects.all(), ["body"], query)
            .select_related("conversation__client", "author_contact", "author_user")
            .order_by("-occurred_at", "-id")[:limit]
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
