"""Growth items: start a new inquiry from one, Not now (to the next check-in), Drop.

Every colleague may act on them, as on the check-ins that show them. The actions come from a
check-in's page (its id is posted as `checkin`, and they return there) or the client page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors

from ..care.models import Checkin
from . import services
from .forms import StartInquiryForm
from .models import GrowthItem


def _checkin(item: GrowthItem, data) -> Checkin | None:
    """The check-in the action came from (only one of the item's client)."""
    pk = params.integer(data, "checkin")
    return Checkin.objects.filter(pk=pk, client_id=item.client_id).first() if pk else None


def _back(item: GrowthItem, checkin: Checkin | None):
    if checkin is not None:
        return redirect("followups:checkin_detail", pk=checkin.pk)
    return redirect("clients:detail", pk=item.client_id)


@require_http_methods(["GET", "POST"])
def growth_item_start(request, pk: int):
    item = get_object_or_404(GrowthItem.objects.select_related("client", "inquiry"), pk=pk)
    checkin = _checkin(item, request.POST if request.method == "POST" else request.GET)
    if not item.is_open:
        messages.info(request, _("This growth item has already been dealt with."))
        return _back(item, checkin)
    channel = checkin.channel if checkin else ""
    form = StartInquiryForm(request.POST or None, initial=StartInquiryForm.initial_for(item, channel=channel))
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.growth_item_start_inquiry(item=item, actor=request.user, details=form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Inquiry started from the deferred want."))
            return redirect(inquiry)
    status = 400 if form.is_bound else 200
    return render(
        request, "followups/growth/start_inquiry.html", {"item": item, "form": form, "checkin": checkin}, status=status
    )


@require_POST
def growth_item_snooze(request, pk: int):
    item = get_object_or_404(GrowthItem, pk=pk)
    checkin = _checkin(item, request.POST)
    if checkin is None:
        messages.error(request, _("Not now moves a want to the next check-in: choose it from a check-in."))
        return _back(item, None)
    try:
        services.growth_item_snooze(item=item, checkin=checkin, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We will ask again at the next check-in."))
    return _back(item, checkin)


@require_POST
def growth_item_drop(request, pk: int):
    item = get_object_or_404(GrowthItem, pk=pk)
    checkin = _checkin(item, request.POST)
    try:
        services.growth_item_drop(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Growth item dropped."))
    return _back(item, checkin)
