"""The self-service page: no login, a magic link instead (followups.portal.links).

The page for asking a link reads the same whether the address is known or not; requests are
rate-limited per IP (429) and per address (silently: the page still reads the same, so the limit
tells nobody which addresses are ours), and the link itself is sent by a queued task, so the
time of the answer tells nothing either. A bad link gets a friendly page and nothing else; another
client's conversation id is a 404.
"""

import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from agency_crm.public import render_public
from clients.models import Contact

from ..conversations.models import Conversation
from .forms import PortalAskForm, PortalReplyForm, PortalWriteForm
from .links import PortalLinkInvalid, portal_contact
from .selectors import portal_overview
from .services import portal_link_send, portal_reply, portal_write
from .tasks import portal_link_request_task

WRITE_RATE = "30/h"
logger = logging.getLogger(__name__)


def _limited(request, group: str, rate: str, key="ip") -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


@login_not_required
@require_http_methods(["GET", "POST"])
def portal_ask(request):
    form = PortalAskForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "portal.ask.ip", settings.PORTAL_RATE_PER_IP):
            return HttpResponse(status=429)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            if not _limited(request, "portal.ask.email", settings.PORTAL_RATE_PER_EMAIL, key=lambda g, r: email):
                # Queued for every address: the answer and its time tell nobody which are ours.
                transaction.on_commit(functools.partial(_queue_link_request, email))
            return render_public(request, "followups/portal/sent.html", {})
    return render_public(request, "followups/portal/ask.html", {"form": form}, status=400 if form.errors else 200)


def _queue_link_request(email: str) -> None:
    try:
        portal_link_request_task.delay(email=email)
    except Exception:  # the broker is down: the visitor asks again, the page already answered
        logger.warning("portal: could not queue a link request", exc_info=True)


def _invalid(request):
    return render_public(request, "followups/portal/link_invalid.html", {}, status=404)


def _page(request, contact, token, *, write_form=None, reply_forms=None, status=200):
    overview = portal_overview(contact)
    reply_forms = reply_forms or {}
    for conversation in overview.conversations:
        conversation.portal_reply_form = reply_forms.get(conversation.pk) or PortalReplyForm(
            auto_id=f"reply-{conversation.pk}-%s"
        )
    context = {
        "overview": overview,
        "token": token,
        "write_form": write_form or PortalWriteForm(),
        "sent": request.GET.get("sent") == "1",
        "now": timezone.now(),
    }
    return render_public(request, "followups/portal/home.html", context, status=status)


@login_not_required
def portal_home(request, token: str):
    try:
        contact = portal_contact(token)
    except PortalLinkInvalid:
        return _invalid(request)
    return _page(request, contact, token)


def _sent(token: str, anchor: str):
    return redirect(f"{reverse('followups:portal_home', args=[token])}?sent=1#{anchor}")


@login_not_required
@require_POST
def portal_write_view(request, token: str):
    try:
        contact = portal_contact(token)
    except PortalLinkInvalid:
        return _invalid(request)
    if _limited(request, "portal.write", WRITE_RATE, key=lambda g, r: str(contact.pk)):
        return HttpResponse(status=429)
    form = PortalWriteForm(request.POST)
    if form.is_valid():
        try:
            message = portal_write(contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _sent(token, f"conversation-{message.conversation_id}")
    return _page(request, contact, token, write_form=form, status=400)


@login_not_required
@require_POST
def portal_reply_view(request, token: str, pk: int):
    try:
        contact = portal_contact(token)
    except PortalLinkInvalid:
        return _invalid(request)
    conversation = get_object_or_404(Conversation, pk=pk, client_id=contact.client_id)
    if _limited(request, "portal.write", WRITE_RATE, key=lambda g, r: str(contact.pk)):
        return HttpResponse(status=429)
    form = PortalReplyForm(request.POST, auto_id=f"reply-{pk}-%s")
    if form.is_valid():
        try:
            portal_reply(contact=contact, conversation=conversation, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _sent(token, f"conversation-{pk}")
    return _page(request, contact, token, reply_forms={pk: form}, status=400)


@require_POST
def portal_link_send_view(request, pk: int):
    """A colleague emails the contact a new link to their page (from the client page)."""
    contact = get_object_or_404(Contact.objects.select_related("client"), pk=pk)
    try:
        portal_link_send(contact=contact, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new self-service link is on its way to %(name)s.") % {"name": contact.name})
    return redirect("clients:detail", pk=contact.client_id)
