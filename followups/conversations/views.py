"""Thin views: check access, validate a form, call one service, redirect or render.

All active staff see every conversation (LoginRequiredMiddleware refuses anonymous visitors and
deactivated accounts cannot log in); unknown ids give 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from agency_crm import params, permissions
from agency_crm.forms import form_add_service_errors
from agency_crm.limits import allow_body
from agency_crm.outbox import outbox_render
from agency_crm.outbox.selectors import outbox_for_related
from agency_crm.roles import is_manager
from clients.models import ResponseTier

from . import selectors, services
from .forms import (
    ContactEmailForm,
    CustomerMessageForm,
    MessageTimeForm,
    NoReplyNeededForm,
    NoteForm,
    OwnerForm,
    QuickLogForm,
    ReplyForm,
    SubjectForm,
    TopicsForm,
)
from .inbox import inbox_rows
from .models import Channel, Conversation, Message


def inbox(request):
    filters = selectors.InboxFilters.from_query(request.GET)
    initial = {}
    contact_id = params.integer(request.GET, "contact")
    if contact_id:  # chosen on the picker page (no JavaScript): one more query
        initial["contact"] = selectors.loggable_contact(pk=contact_id)
    return render_inbox(request, filters, QuickLogForm(initial=initial))


def _logged_into(request):
    """The message just logged, when it joined an open conversation (one query, only after a log)."""
    return selectors.joined_log(pk=params.integer(request.GET, "logged"), user=request.user)


def render_inbox(request, filters, log_form, status=200):
    page = Paginator(selectors.inbox_conversations(user=request.user, filters=filters), selectors.INBOX_PAGE_SIZE)
    page = page.get_page(params.page(request.GET))
    context = {
        "conversations": inbox_rows(page.object_list),
        "page": page,
        "querystring": filters.as_query(),
        "filters": filters,
        "staff": selectors.staff_choices(),
        "channels": Channel.choices,
        "tiers": ResponseTier.choices,
        "log_form": log_form,
        "logged_into": _logged_into(request),
    }
    return render(request, "followups/inbox.jinja", context, status=status, using="jinja2")


@require_GET
@vary_on_headers("HX-Request")
def contact_search(request):
    """The quick-log type-ahead: matching contacts as radio buttons named `contact`.

    htmx swaps the fragment into the quick-log form; without JavaScript the search box submits
    here normally and gets a page of its own that hands the choice back to the inbox.
    """
    matches = selectors.contact_picker_search(query=params.text(request.GET, "q"))
    if not request.htmx:
        return render(request, "followups/contact_picker.jinja", {"matches": matches}, using="jinja2")
    # A customer already chosen stays chosen while staff search again (htmx sends it along).
    chosen = selectors.loggable_contact(pk=params.integer(request.GET, "contact"))
    if chosen is not None:
        matches.contacts = [contact for contact in matches.contacts if contact.pk != chosen.pk]
    context = {"matches": matches, "chosen": chosen}
    return render(request, "followups/_contact_options.jinja", context, using="jinja2")


def conversation_list(request):
    status = params.choice(request.GET, "status", Conversation.Status.values)
    page = Paginator(selectors.conversation_list(status=status), 50).get_page(params.page(request.GET))
    return render(
        request,
        "followups/conversation_list.html",
        {"page": page, "status": status, "statuses": Conversation.Status.choices},
    )


def conversation_detail(request, pk: int, **forms):
    conversation = get_object_or_404(selectors.conversation_detail(pk=pk), pk=pk)
    if conversation.merged_into_id is not None:  # a merged conversation's URL opens the target
        return redirect(services.conversation_follow_merges(conversation))
    clock = selectors.clock_reader()
    conversation.clock = clock(
        conversation.client.response_tier, conversation.awaiting_since, conversation.reply_due_at, conversation.channel
    )
    # A message whose corrected time was refused must be on the page with its error.
    whole = params.choice(request.GET, "thread", ["all"]) == "all" or forms.get("edited_message_id") is not None
    thread = selectors.conversation_thread(conversation=conversation, whole=whole)
    # Their files come in one more query, only when there are emails.
    outbound_emails = list(outbox_for_related(conversation_id=conversation.pk).prefetch_related("attachments"))
    context = {
        "conversation": conversation,
        "thread": thread,
        "reply_form": forms.get("reply_form") or ReplyForm(conversation=conversation, seen=thread.latest_id),
        "newer_replies": forms.get("newer_replies", []),
        "customer_form": forms.get("customer_form") or CustomerMessageForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "no_reply_form": forms.get("no_reply_form") or NoReplyNeededForm(),
        "subject_form": forms.get("subject_form") or SubjectForm(initial={"subject": conversation.subject}),
        "topics_form": forms.get("topics_form")
        or TopicsForm(initial={"topics": ", ".join(t.name for t in conversation.tags.all())}),
        "message_time_form": forms.get("message_time_form"),
        "owner_form": (forms.get("owner_form") or OwnerForm(initial={"owner": conversation.owner_id}))
        if _can_reassign(request.user, conversation)
        else None,
        "edited_message_id": forms.get("edited_message_id"),
        "can_merge": services.conversation_may_work(request.user, conversation),
        "thread_moves": selectors.thread_moves(conversation=conversation),
        # Internal notes are changed by their author or a manager.
        "can_change_any_note": is_manager(request.user),
        # Failed deliveries must be visible where staff work: on the conversation itself.
        "outbound_emails": outbound_emails,
        # What each email reply carried (its Cc and files), shown on the message in the thread.
        "sent_emails": {email.related.get("message_id"): email for email in outbound_emails},
        "logged_into": _logged_into(request),
    }
    return render(request, "followups/conversation_detail.jinja", context, status=400 if forms else 200, using="jinja2")


def _reply_form(request, pk: int) -> tuple[Conversation, ReplyForm]:
    conversation = get_object_or_404(
        Conversation.objects.select_related("client", "contact").prefetch_related("client__contacts"), pk=pk
    )
    return conversation, ReplyForm(request.POST, request.FILES, conversation=conversation)


@require_POST
@allow_body("OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES")
def conversation_reply(request, pk: int):
    conversation, form = _reply_form(request, pk)
    if form.is_valid():
        data = form.cleaned_data
        newer = selectors.replies_since(conversation=conversation, message_id=data["seen"] or 0, user=request.user)
        if newer and not data["confirm_newer"]:
            # A colleague answered while this reply was being written: show theirs, keep this
            # one, and send it only when the sender confirms (nothing is lost either way).
            form.data = form.data.copy()
            form.data["confirm_newer"] = "1"
            form.data["seen"] = str(newer[-1].pk)
            form.add_error(None, _("A colleague replied while you were writing. Read their reply, then send yours."))
            _files_not_kept(request, form)
            return conversation_detail(request, pk, reply_form=form, newer_replies=newer)
        try:
            message = services.conversation_reply(
                conversation=conversation,
                author=request.user,
                body=data["body"],
                channel=data["channel"],
                occurred_at=data["occurred_at"],
                to=data["to"],
                cc=data["cc"],
                subject=data["subject"],
                attachments=data["attachments"],
                language=data["language"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if data["channel"] == Channel.EMAIL:
                messages.info(request, _("Reply recorded and queued for sending by email."))
            elif outbox_for_related(message_id=message.pk).exists():
                # Another channel's room sends it through the outbox (a KakaoTalk chat).
                messages.info(request, _("Reply recorded and queued for sending on KakaoTalk."))
            else:
                messages.success(request, _("Reply recorded."))
            return redirect(conversation)
    _files_not_kept(request, form)
    return conversation_detail(request, pk, reply_form=form)


def _files_not_kept(request, form) -> None:
    """A page shown again cannot hold the files chosen (browsers never refill a file input)."""
    if request.FILES:
        form.add_error("attachments", _("Choose the files again: they were not sent."))


@require_POST
@allow_body("OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES")
def conversation_reply_preview(request, pk: int):
    """The email as it will be sent (htmx: the composer's preview); writes nothing, and shows
    placeholders where the email will carry the customer's own links.

    It always answers inside the page: an invalid draft gets its errors in the preview box (200,
    so htmx swaps it in), and a request without htmx gets the conversation page back with the
    draft and its errors, as *Record reply* does."""
    conversation, form = _reply_form(request, pk)
    if not request.htmx:
        if form.is_valid():
            form.add_error(None, _("The preview needs JavaScript. Your reply is kept below."))
        _files_not_kept(request, form)
        return conversation_detail(request, pk, reply_form=form)
    context = {"form": form, "conversation": conversation}
    if form.is_valid() and form.cleaned_data["channel"] != Channel.EMAIL:
        form.add_error("channel", _("Only a reply by email can be previewed."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            email = services.reply_email(
                conversation=conversation,
                author=request.user,
                body=data["body"],
                to=data["to"],
                cc=data["cc"],
                subject=data["subject"],
                first=not conversation.messages.exists(),
                preview=True,
                language=data["language"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            fields = ("to", "cc", "subject", "template", "context", "language", "kind", "client")
            _language, subject, text, _html = outbox_render(
                **{k: email[k] for k in fields}, related={"conversation_id": conversation.pk}, preview=True
            )
            context |= {"email": email, "subject": subject, "text": text, "files": data["attachments"]}
    return render(request, "followups/_reply_preview.html", context)


@require_POST
def conversation_customer_message(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = CustomerMessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_receive(
                conversation=conversation,
                body=form.cleaned_data["body"],
                channel=form.cleaned_data["channel"],
                occurred_at=form.cleaned_data["occurred_at"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Customer message logged."))
            return redirect(conversation)
    return conversation_detail(request, pk, customer_form=form)


@require_POST
def conversation_note(request, pk: int):
    conversation = get_object_or_404(Conversation.objects.select_related("client"), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(conversation=conversation, author=request.user, body=form.cleaned_data["body"])
        return redirect(conversation)
    return conversation_detail(request, pk, note_form=form)


def contact_email(request, pk: int):
    """Email this contact: a new Email conversation whose first message is ours, sent by the outbox."""
    contact = get_object_or_404(selectors.loggable_contacts().exclude(email=""), pk=pk)
    form = ContactEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_email_contact(
                contact=contact, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.info(request, _("Email queued for sending; the customer's answer will land here."))
            return redirect(conversation)
    return render(request, "followups/contact_email.html", {"form": form, "contact": contact})


@require_POST
def conversation_no_reply(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = NoReplyNeededForm(request.POST)
    if form.is_valid():
        try:
            services.wait_close_no_reply_needed(
                conversation=conversation, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Marked as needing no reply."))
            return redirect(conversation)
    return conversation_detail(request, pk, no_reply_form=form)


def _can_reassign(user, conversation) -> bool:
    """Managers reassign any conversation; an owner may hand over their own (the one rule)."""
    return permissions.may_change_owner(user, conversation.owner_id)


@require_POST
def conversation_owner(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    if not _can_reassign(request.user, conversation):
        raise PermissionDenied
    form = OwnerForm(request.POST)
    if form.is_valid():
        try:
            changed = services.conversation_reassign(
                conversation=conversation, to_user=form.cleaned_data["owner"], actor=request.user
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("Owner changed."))
            return redirect(conversation)
    return conversation_detail(request, pk, owner_form=form)


@require_POST
def conversation_subject(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = SubjectForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_rename(
                conversation=conversation, subject=form.cleaned_data["subject"], actor=request.user
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Subject saved."))
            return redirect(conversation)
    return conversation_detail(request, pk, subject_form=form)


@require_POST
def conversation_topics(request, pk: int):
    conversation = get_object_or_404(Conversation, pk=pk)
    form = TopicsForm(request.POST)
    if form.is_valid():
        services.conversation_set_tags(conversation=conversation, tags=form.cleaned_data["topics"])
        return redirect(conversation)
    return conversation_detail(request, pk, topics_form=form)


@require_POST
def message_time(request, pk: int):
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=pk)
    form = MessageTimeForm(request.POST)
    if form.is_valid():
        try:
            services.message_update_time(
                message=message, occurred_at=form.cleaned_data["occurred_at"], actor=request.user
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Time corrected; response figures recomputed."))
            return redirect(message.conversation)
    return conversation_detail(request, message.conversation_id, message_time_form=form, edited_message_id=message.pk)
