"""One row per colleague and conversation: their latest poll."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConversationPresence(models.Model):
    class State(models.TextChoices):
        VIEWING = "viewing", _("viewing")
        REPLYING = "replying", _("replying")

    conversation = models.ForeignKey("followups.Conversation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.VIEWING)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="presence_one_per_user")]
        verbose_name = _("presence on a conversation")
        verbose_name_plural = _("presence on conversations")

    def __str__(self):
        return f"{self.user_id} {self.state} {self.conversation_id}"


__all__ = ["ConversationPresence"]
