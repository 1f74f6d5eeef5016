"""The "open conversations" offboarding provider (registered in FollowupsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from .models import Conversation
from .services import conversations_reassign


def _open_owned_by(user):
    return Conversation.objects.filter(owner=user).exclude(status=Conversation.Status.CLOSED)


class OpenConversationsProvider:
    key = "open_conversations"
    label = _("Open conversations")

    def count_for(self, user) -> int:
        return _open_owned_by(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        conversations = _open_owned_by(user).select_related("client").order_by("reply_due_at", "id")
        return [(f"{c.client.name}: {c.subject}", c.get_absolute_url()) for c in conversations]

    def reassign(self, *, from_user, to_user, actor) -> int:
        return conversations_reassign(from_user=from_user, to_user=to_user, actor=actor)
