"""Inbound email pages: received mail, one email, attachments, the "could not import" list, and
the unknown-sender triage on a conversation. Every view needs a login (LoginRequiredMiddleware);
all staff may use them, like the conversations themselves."""

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from agency_crm import params
from agency_crm.downloads import download_response
from agency_crm.outbox.redaction import hide_customer_links_html

from ..conversations.models import Conversation
from . import selectors
from .forms import AttachSenderForm, CreateClientFromSenderForm
from .html import sanitize_html
from .ingest import mail_failure_retry
from .models import InboundAttachment, MailboxState, MailImportFailure
from .triage import unknown_sender_attach, unknown_sender_create_client

PAGE_SIZE = 50


def _download(file_field, filename: str):
    return download_response(file_field, filename)


@require_GET
def mail_list(request):
    show = params.choice(request.GET, "show", selectors.MAIL_FILTERS)
    page = Paginator(selectors.inbound_list(show=show), PAGE_SIZE).get_page(params.page(request.GET))
    state = MailboxState.objects.filter(pk=1).first()
    return render(
        request,
        "followups/mailin/mail_list.html",
        {"page": page, "show": show, "state": state, "failure_count": selectors.failure_list().count()},
    )


@require_GET
def mail_detail(request, pk: int):
    email = get_object_or_404(selectors.inbound_detail(), pk=pk)
    return render(request, "followups/mailin/mail_detail.html", {"email": email})


# The frame of a received email's sanitised HTML: it loads nothing at all (nh3 left no script,
# style or remote image, and cid: images cannot load in a browser), only our own pages may frame
# it, and it is a sandbox even when opened on its own.
MAIL_FRAME_POLICY = {
    "default-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
    "sandbox": True,
}


@require_GET
@xframe_options_sameorigin
@csp(MAIL_FRAME_POLICY)
def mail_html(request, pk: int):
    """The sanitised HTML of one received email, for the sandboxed frame of mail_detail."""
    email = get_object_or_404(selectors.inbound_detail(), pk=pk)
    if not email.html_body:
        raise Http404
    # Sanitised again: rows stored before a sanitiser fix (the data: links) are shown by today's rules.
    context = {"email": email, "sanitised_html": hide_customer_links_html(sanitize_html(email.html_body))}
    response = render(request, "followups/mailin/mail_frame.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(InboundAttachment, pk=pk)
    if not attachment.stored:
        raise Http404
    return _download(attachment.file, attachment.filename)


@require_GET
def unknown_sender_list(request):
    """Triage: conversations of senders that match no contact, each to attach to a client."""
    page = Paginator(selectors.open_unknown_senders(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followups/mailin/unknown_sender_list.html",
        {"page": page, "failure_count": selectors.failure_list().count()},
    )


@require_GET
def failure_list(request):
    page = Paginator(selectors.failure_list(), PAGE_SIZE).get_page(params.page(request.GET))
    return render(request, "followups/mailin/failure_list.html", {"page": page})


@require_GET
def failure_download(request, pk: int):
    failure = get_object_or_404(MailImportFailure, pk=pk)
    return _download(failure.raw, f"message-{failure.pk}.eml")


@require_POST
def failure_retry(request, pk: int):
    failure = get_object_or_404(MailImportFailure, pk=pk)
    result = mail_failure_retry(failure=failure)
    if result.outcome == "failed":
        messages.error(request, _("The email still could not be imported."))
        return redirect("followups:mail_failures")
    messages.success(request, _("The email was imported."))
    if result.email and result.email.conversation_id:
        return redirect("followups:conversation", pk=result.email.conversation_id)
    return redirect("followups:mail_detail", pk=result.email.pk)


@require_POST
def attach_sender(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    if request.POST.get("action") == "create":
        form = CreateClientFromSenderForm(request.POST)
        if form.is_valid():
            return _triage(
                request,
                conversation,
                lambda: unknown_sender_create_client(
                    conversation=conversation,
                    client_name=form.cleaned_data["client_name"],
                    contact_name=form.cleaned_data["contact_name"],
                    account_owner=form.cleaned_data["account_owner"],
                    actor=request.user,
                ),
            )
    else:
        form = AttachSenderForm(request.POST)
        if form.is_valid():
            return _triage(
                request,
                conversation,
                lambda: unknown_sender_attach(
                    conversation=conversation, contact=form.cleaned_data["contact"], actor=request.user
                ),
            )
    messages.error(request, _("Choose a contact, or give the new client a name and an owner."))
    return redirect(conversation)


def _triage(request, conversation, action):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The conversation now belongs to the chosen client."))
    return redirect(conversation)
