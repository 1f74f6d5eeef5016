"""Pages that change an internal note after it was written: edit and delete, by its author or a
manager (services.internal_note_may_change), each kept on the timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency_crm.forms import form_add_service_errors

from . import services
from .forms import NoteEditForm
from .models import InternalNote


def _changeable_note(request, pk: int) -> InternalNote:
    note = get_object_or_404(InternalNote.objects.select_related("conversation"), pk=pk)
    if not services.internal_note_may_change(note=note, user=request.user):
        raise PermissionDenied
    return note


def internal_note_edit(request, pk: int):
    note = _changeable_note(request, pk)
    form = NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.internal_note_edit(note=note, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Note saved."))
            return redirect(note.conversation)
    return render(request, "followups/internal_note_form.html", {"form": form, "note": note})


@require_POST
def internal_note_delete(request, pk: int):
    note = _changeable_note(request, pk)
    services.internal_note_delete(note=note, actor=request.user)
    messages.success(request, _("Note deleted. The timeline keeps a record of it."))
    return redirect(note.conversation)
