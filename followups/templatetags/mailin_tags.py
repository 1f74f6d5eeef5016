"""The conversation page's email panel: received emails, attachments, unknown-sender triage.

An inclusion tag keeps the conversations view untouched; it costs two queries (emails and their
attachments), one for the triage row, and one for the contact list when triage is open.
"""

from django import template

from ..mailin.forms import AttachSenderForm, CreateClientFromSenderForm
from ..mailin.selectors import conversation_emails, open_triage

register = template.Library()


@register.inclusion_tag("followups/mailin/_conversation_panel.html", takes_context=True)
def mailin_panel(context, conversation):
    triage = open_triage(conversation_id=conversation.pk)
    panel = {
        "conversation": conversation,
        "emails": conversation_emails(conversation_id=conversation.pk),
        "triage": triage,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
    if triage is not None:
        panel["attach_form"] = AttachSenderForm()
        panel["create_form"] = CreateClientFromSenderForm(
            initial={"contact_name": triage.name, "client_name": triage.name or triage.address}
        )
    return panel
