"""/settings/agency/ (managers): one page, one form per section; each POST names its section."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agency_crm.agency.selectors import agency_settings as stored_agency_settings
from agency_crm.agency.selectors import contact_form_allowed_origins
from agency_crm.agency.services import agency_identity_save, contact_form_origins_save
from agency_crm.roles import manager_required

from ..conversations.hours import BusinessCalendar, ClosureDay, ExtraOpeningDay, OpeningInterval
from ..conversations.models import ResponsePolicy
from ..conversations.services import calendar as calendar_services
from .forms import (
    AgencyHoursForm,
    AgencyIdentityForm,
    ClosureForm,
    EmbedOriginsForm,
    ExtraOpeningDayForm,
    ResponseTargetForm,
    hours_minutes,
)

FORMS = {
    "identity": AgencyIdentityForm,
    "hours": AgencyHoursForm,
    "closure": ClosureForm,
    "extra": ExtraOpeningDayForm,
    "target": ResponseTargetForm,
    "origins": EmbedOriginsForm,
}


def _initial() -> dict:
    row = stored_agency_settings()
    return {
        "identity": {"name": row.name, "sender_name": row.sender_name, "sender_address": row.sender_address},
        "hours": AgencyHoursForm.initial_of(BusinessCalendar.load(), OpeningInterval.objects.all()),
        "origins": {"origins": "\n".join(contact_form_allowed_origins(row))},
    }


def _save(section: str, data: dict, actor) -> str:
    """Call the section's service; returns the message to show."""
    if section == "identity":
        agency_identity_save(**data)
        return _("The agency's name and sender are saved.")
    if section == "hours":
        calendar_services.business_hours_replace(
            weekly=data["weekly"],
            time_zone=data["time_zone"],
            country=data["country"],
            subdivision=data["subdivision"],
            actor=actor,
        )
    elif section == "closure":
        calendar_services.closure_day_add(date=data["date"], reason=data["reason"], actor=actor)
    elif section == "extra":
        calendar_services.extra_opening_day_add(actor=actor, **data)
    elif section == "target":
        calendar_services.response_policy_save(actor=actor, **data)
    else:
        contact_form_origins_save(origins=data["origins"])
        return _("The sites that may embed the contact form are saved.")
    return _("Saved. Every open conversation's due time and reminders follow the change.")


def _remove(section: str, pk: str, actor) -> None:
    if section == "closure_remove":
        calendar_services.closure_day_remove(closure=get_object_or_404(ClosureDay, pk=pk), actor=actor)
    elif section == "extra_remove":
        calendar_services.extra_opening_day_remove(extra=get_object_or_404(ExtraOpeningDay, pk=pk), actor=actor)
    else:
        policy = get_object_or_404(ResponsePolicy.objects.exclude(tier="", channel=""), pk=pk)
        calendar_services.response_policy_remove(policy=policy, actor=actor)


def _labelled(policies) -> list[ResponsePolicy]:
    policies = list(policies)
    for policy in policies:
        policy.first_label = hours_minutes(policy.first_response_minutes)
        policy.next_label = hours_minutes(policy.next_reply_minutes)
    return policies


@manager_required
def agency_settings(request):
    initial = _initial()
    bound = {}
    status = 200
    if request.method == "POST":
        section = request.POST.get("section", "")
        if section in ("closure_remove", "extra_remove", "target_remove"):
            _remove(section, request.POST.get("pk", ""), request.user)
            messages.success(request, _("Removed. Every open conversation's due time and reminders follow the change."))
            return redirect("followups:agency_settings")
        if section not in FORMS:
            status = 400
        else:
            form = FORMS[section](request.POST, prefix=section)
            if form.is_valid():
                messages.success(request, _save(section, form.cleaned_data, request.user))
                return redirect(reverse("followups:agency_settings") + f"#{section}")
            bound[section] = form
            status = 400
    forms = {
        name: bound.get(name) or form_class(initial=initial.get(name), prefix=name)
        for name, form_class in FORMS.items()
    }
    embed_url = settings.SITE_URL + reverse("followups:contact_embed")
    context = {
        "forms": forms,
        "hours_form": forms["hours"],
        "closures": list(ClosureDay.objects.all()),
        "extra_days": list(ExtraOpeningDay.objects.all()),
        "policies": _labelled(ResponsePolicy.objects.all()),
        "embed_url": embed_url,
        "origins": contact_form_allowed_origins(),
    }
    return render(request, "followups/setup/agency_settings.html", context, status=status)
