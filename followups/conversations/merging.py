"""Pages of merging: *Merge into…* (pick one of the client's other conversations, confirm, merge)
and a message's *Move to a new conversation*. Plain forms, so a phone without JavaScript works.

Who may: a manager, or the owner of the conversations (services.conversation_may_work); anyone
else gets 403. The service checks again, so a forged target is refused the same way.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .models import Conversation, Message


class MergeForm(forms.Form):
    """The target among the picker's choices; `confirm` is set by the confirmation step."""

    into = forms.TypedChoiceField(label=gettext_lazy("Merge into"), coerce=int, widget=forms.RadioSelect)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices: list[Conversation], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {conversation.pk: conversation for conversation in choices}
        self.fields["into"].choices = [(conversation.pk, conversation.subject) for conversation in choices]

    @property
    def target(self) -> Conversation:
        return self.targets[self.cleaned_data["into"]]


def _source(request, pk: int) -> Conversation:
    conversation = get_object_or_404(Conversation.objects.select_related("client", "contact", "owner"), pk=pk)
    if conversation.merged_into_id is not None:
        return None
    if not services.conversation_may_work(request.user, conversation):
        raise PermissionDenied
    return conversation


@require_http_methods(["GET", "POST"])
def conversation_merge(request, pk: int):
    """GET lists the choices (or, with ?into=, asks to confirm); POST with confirm merges."""
    source = _source(request, pk)
    if source is None:  # already merged: its thread is in the target
        return redirect(services.conversation_follow_merges(Conversation.objects.get(pk=pk)))
    choices = [
        c for c in selectors.merge_choices(conversation=source) if services.conversation_may_work(request.user, c)
    ]
    data = request.POST if request.method == "POST" else (request.GET if "into" in request.GET else None)
    form = MergeForm(data, choices=choices)
    confirming = form.is_bound and form.is_valid()
    if confirming and request.method == "POST" and form.cleaned_data["confirm"]:
        try:
            target = services.conversation_merge(source=source, target=form.target, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            confirming = False
        else:
            messages.success(request, _("Merged into %(subject)s.") % {"subject": target.subject})
            return redirect(target)
    context = {
        "conversation": source,
        "choices": choices,
        "form": form,
        "target": form.target if confirming else None,
        "message_count": source.messages.count() if confirming else None,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "followups/conversation_merge.jinja", context, status=status, using="jinja2")


@require_POST
def message_move_out(request, pk: int):
    """ "Move to a new conversation" for a message threaded into the wrong conversation."""
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=pk)
    if not services.conversation_may_work(request.user, message.conversation):
        raise PermissionDenied
    try:
        conversation = services.message_move_out(message=message, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(message.conversation)
    messages.success(request, _("Moved to a new conversation: %(subject)s") % {"subject": conversation.subject})
    return redirect(conversation)
