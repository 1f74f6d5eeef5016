"""The inbox's quick log of a call or message, and its way back out: a log that joined the
contact's open conversation may start a conversation of its own instead."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency_crm.forms import form_add_service_errors

from . import selectors, services
from .forms import QuickLogForm
from .models import Message
from .views import render_inbox


@require_POST
def quick_log(request):
    form = QuickLogForm(request.POST)
    if form.is_valid():
        try:
            message = services.conversation_log(
                contact=form.cleaned_data["contact"],
                direction=form.cleaned_data["direction"],
                channel=form.cleaned_data["channel"],
                body=form.cleaned_data["body"],
                occurred_at=form.cleaned_data["occurred_at"],
                subject=form.cleaned_data["subject"],
                actor=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            # A log that joined the contact's open conversation says so on the next page, with a
            # link and "start a new conversation instead" (?logged=); a new one just says "Logged.".
            joined = message.conversation.messages.exclude(pk=message.pk).exists()
            if not joined:
                messages.success(request, _("Logged."))
            after = "?" + urlencode({"logged": message.pk}) if joined else ""
            if message.direction == Message.Direction.FROM_CUSTOMER:
                return redirect(reverse("followups:inbox") + after)
            return redirect(message.conversation.get_absolute_url() + after)
    return render_inbox(request, selectors.InboxFilters(), form, status=400)


@require_POST
def log_to_new_conversation(request, pk: int):
    """ "Start a new conversation instead" for a message the reader logged into an open one."""
    message = get_object_or_404(selectors.logged_messages_of(request.user).select_related("conversation"), pk=pk)
    try:
        conversation = services.logged_message_to_new_conversation(message=message, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(message.conversation)
    messages.success(request, _("Started a new conversation: %(subject)s") % {"subject": conversation.subject})
    return redirect(conversation)
