"""/replies/: the saved replies list and form; and the conversation page's "use a saved reply",
which answers htmx with the reply box filled (the sender edits it before sending)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors

from ..conversations.models import Conversation
from .forms import SavedReplyForm
from .services import (
    saved_replies_for,
    saved_reply_create,
    saved_reply_delete,
    saved_reply_may_change,
    saved_reply_update,
    saved_reply_use,
)
from .suggestions import suggested_answers


@require_GET
def reply_list(request):
    q = params.text(request.GET, "q", max_length=100)
    replies = saved_replies_for(request.user)
    if q:
        replies = replies.filter(
            Q(title__icontains=q) | Q(body_ko__icontains=q) | Q(body_en__icontains=q) | Q(tags__icontains=q)
        )
    rows = [(reply, saved_reply_may_change(reply=reply, user=request.user)) for reply in replies[:200]]
    return render(request, "followups/answers/reply_list.html", {"rows": rows, "q": q})


@require_http_methods(["GET", "POST"])
def reply_edit(request, pk: int | None = None):
    reply = get_object_or_404(saved_replies_for(request.user), pk=pk) if pk else None
    if reply is not None and not saved_reply_may_change(reply=reply, user=request.user):
        raise PermissionDenied
    initial = {} if reply else {"title": params.text(request.GET, "title", max_length=200)}
    form = SavedReplyForm(request.POST or None, instance=reply, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if reply is None:
                saved_reply_create(actor=request.user, values=form.cleaned_data)
            else:
                saved_reply_update(reply=reply, actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Saved reply saved."))
            return redirect("followups:replies")
    status = 400 if form.errors else 200
    return render(request, "followups/answers/reply_form.html", {"form": form, "reply": reply}, status=status)


@require_POST
def reply_delete(request, pk: int):
    reply = get_object_or_404(saved_replies_for(request.user), pk=pk)
    saved_reply_delete(reply=reply, actor=request.user)
    messages.success(request, _("Saved reply deleted."))
    return redirect("followups:replies")


@require_POST
def reply_fill(request, pk: int):
    """The reply box of conversation `pk`, filled with the chosen saved reply (a POST: the reply
    is counted as used)."""
    conversation = get_object_or_404(Conversation.objects.select_related("client__account_owner", "contact"), pk=pk)
    reply_id = params.integer(request.POST, "saved_reply")
    reply = saved_replies_for(request.user).filter(pk=reply_id).first() if reply_id else None
    if reply is None:
        raise Http404
    text = saved_reply_use(reply=reply, conversation=conversation, user=request.user)
    return render(request, "followups/answers/_reply_box.html", {"text": text})


@require_GET
def reply_suggestions(request, pk: int):
    """The conversation page's "Suggested answers" panel (loaded by htmx once the page is shown,
    so the page itself does not wait for it); without htmx, a page of its own."""
    conversation = get_object_or_404(Conversation.objects.only("id", "subject"), pk=pk)
    context = {
        "conversation": conversation,
        "suggestions": suggested_answers(conversation=conversation, user=request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "followups/answers/_suggestions.html", context)
    return render(request, "followups/answers/suggestions.html", context)
