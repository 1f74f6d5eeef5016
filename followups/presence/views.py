"""POST /conversations/<pk>/presence/: the conversation page's poll (htmx, every
PRESENCE_POLL_SECONDS), answered with who else has the conversation open."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from ..conversations.models import Conversation
from .services import presence_touch


@require_POST
def presence_poll(request, pk: int):
    conversation = get_object_or_404(Conversation.objects.only("id"), pk=pk)
    others = presence_touch(conversation=conversation, user=request.user, state=request.POST.get("state", ""))
    return render(request, "followups/presence/_others.html", {"others": others})
