"""Notifications (the bell's page) and snoozing a wait's reminders. Thin views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency_crm import params

from ..conversations.models import Conversation, ResponseWait
from . import selectors as selectors_reminders
from . import services as services_reminders
from .forms import SnoozeForm
from .models import Notification, ReminderSchedule

PAGE_SIZE = 50


def notifications(request):
    show = params.choice(request.GET, "show", selectors_reminders.UNREAD_FILTERS, default="all")
    page = Paginator(selectors_reminders.notifications_for(user=request.user, show=show), PAGE_SIZE).get_page(
        params.page(request.GET)
    )
    return render(request, "followups/reminders/notification_list.html", {"page": page, "show": show})


def notification_count(request):
    """The bell's badge (htmx fragment): one COUNT query."""
    unread = selectors_reminders.notifications_unread_count(user=request.user)
    # Rendered without the request: the navigation's context processors are not needed here.
    return HttpResponse(render_to_string("followups/reminders/_bell_count.html", {"unread": unread}))


@require_POST
def notification_open(request, pk: int):
    # Another person's notification is unknown to you: 404, not 403.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    url = services_reminders.notification_open(notification=notification)
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("followups:notifications")


@require_POST
def notifications_read_all(request):
    services_reminders.notifications_mark_all_read(user=request.user)
    return redirect("followups:notifications")


def conversation_snooze(request, pk: int):
    conversation = get_object_or_404(Conversation.objects.select_related("client"), pk=pk)
    wait = ResponseWait.objects.filter(conversation=conversation, closed_at__isnull=True).first()
    schedule = ReminderSchedule.objects.filter(wait=wait).first() if wait else None
    form = SnoozeForm(request.POST or None)
    if request.method == "POST" and wait is not None and form.is_valid():
        try:
            services_reminders.wait_snooze(
                conversation=conversation,
                actor=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reminders snoozed."))
            return redirect(conversation)
    context = {"conversation": conversation, "wait": wait, "schedule": schedule, "form": form}
    return render(request, "followups/reminders/snooze.html", context, status=400 if form.errors else 200)
