"""The conversation page's contact form panel: what the visitor gave besides the message (phone,
company, files). Only a conversation the form opened has them (its channel is Web form): one
query for the submissions and one for their files there, none anywhere else."""

from django import template
from django.db.models import Prefetch

from ..conversations.models import Channel
from ..webform.models import WebAttachment, WebSubmission

register = template.Library()


@register.inclusion_tag("followups/webform/_conversation_panel.html")
def webform_panel(conversation):
    if conversation.channel != Channel.WEB_FORM:
        return {"submissions": []}
    submissions = list(
        WebSubmission.objects.filter(conversation_id=conversation.pk)
        .prefetch_related(Prefetch("attachments", queryset=WebAttachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    return {"submissions": submissions}
