"""Post-sale care pages: /checkins/ (staff), /review/weekly/ (managers), and the customer's public
signed links /feedback/<token>/ and /unsubscribe/<token>/ (no login; the token is the access check).

Public pages render in the language stored on the feedback request or contact, never the
browser's: the customer reads the page in the language we write to them in.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm import permissions
from agency_crm.public import render_public

from ..conversations.forms import OwnerForm
from ..conversations.selectors import staff_choices
from . import checkins, selectors
from .dates import local_today
from .feedback import FeedbackClosed, feedback_can_change, feedback_request_load, feedback_submit
from .forms import CheckinDoneForm, CheckinSkipForm, CheckinStartForm, FeedbackForm
from .handover import checkin_reassign
from .links import FeedbackLinkInvalid
from .models import Checkin, CheckinPlan
from .scheduling import checkin_plan_start
from .unsubscribe import contact_unsubscribe_checkins, unsubscribe_contact_load


# --- check-ins (staff) -------------------------------------------------------------------------
def checkin_list(request, *, start_form=None, status=200):
    today = local_today()
    rows = list(selectors.checkin_list(user=request.user, today=today))
    for checkin in rows:
        checkin.can_change_owner = permissions.may_change_owner(request.user, checkin.owner_id)
    context = {
        "checkins": rows,
        # The colleagues a check-in can be handed to (one query, only when some may be).
        "staff": staff_choices() if any(checkin.can_change_owner for checkin in rows) else [],
        "today": today,
        "start_form": start_form or CheckinStartForm(),
        "sentiments": CheckinDoneForm.base_fields["sentiment"].choices,
    }
    return render(request, "followups/care/checkin_list.html", context, status=status)


def checkin_detail(request, pk: int):
    """One check-in: who to call or write to, what to raise (the client's deferred wants, from
    the growth room's panel), and the outcome, skip and hand-over forms of the list."""
    try:
        checkin = selectors.checkin_detail(pk=pk)
    except Checkin.DoesNotExist as exc:
        raise Http404 from exc
    checkin.can_change_owner = permissions.may_change_owner(request.user, checkin.owner_id)
    context = {
        "checkin": checkin,
        "staff": staff_choices() if checkin.can_change_owner and checkin.is_open else [],
        "today": local_today(),
        "sentiments": CheckinDoneForm.base_fields["sentiment"].choices,
    }
    return render(request, "followups/care/checkin_detail.html", context)


@require_POST
def checkin_done(request, pk: int):
    checkin = get_object_or_404(Checkin, pk=pk)
    form = CheckinDoneForm(request.POST)
    if form.is_valid():
        try:
            checkins.checkin_complete(
                checkin=checkin,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                sentiment=form.cleaned_data["sentiment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Check-in recorded."))
    else:
        messages.error(request, _("Choose how the customer feels."))
    return redirect("followups:checkins")


@require_POST
def checkin_skip(request, pk: int):
    checkin = get_object_or_404(Checkin, pk=pk)
    form = CheckinSkipForm(request.POST)
    if form.is_valid():
        try:
            checkins.checkin_skip(checkin=checkin, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Check-in skipped."))
    else:
        messages.error(request, _("Say why this check-in is skipped."))
    return redirect("followups:checkins")


@require_POST
def checkin_owner(request, pk: int):
    checkin = get_object_or_404(Checkin, pk=pk)
    if not permissions.may_change_owner(request.user, checkin.owner_id):
        raise PermissionDenied
    form = OwnerForm(request.POST)
    if form.is_valid():
        try:
            changed = checkin_reassign(checkin=checkin, to_user=form.cleaned_data["owner"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("Check-in handed over."))
    else:
        messages.error(request, _("Choose an active colleague."))
    return redirect("followups:checkins")


@require_POST
def checkin_start(request):
    form = CheckinStartForm(request.POST)
    if not form.is_valid():
        return checkin_list(request, start_form=form, status=400)
    plan: CheckinPlan = form.cleaned_data["plan"]
    checkin_plan_start(
        plan=plan, client=form.cleaned_data["client"], started_on=form.cleaned_data["started_on"], actor=request.user
    )
    messages.success(request, _("Check-ins scheduled."))
    return redirect("followups:checkins")


# --- the customer's feedback and unsubscribe pages ----------------------------------------------
def _render_public(request, template: str, context: dict, language: str, status: int = 200):
    return render_public(request, template, context, language, status=status)


def _invalid_link(request):
    language = translation.get_language_from_request(request)
    return _render_public(request, "followups/care/link_invalid.html", {}, language, status=404)


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback(request, token: str):
    """GET shows the choice (mail scanners open links); only a POST (with CSRF) records it.

    A browser logged in to the CRM belongs to staff, who must not answer as the customer (their
    own happiness figures would gain): a friendly 403 page, in the colleague's language, and
    nothing is recorded.
    """
    try:
        feedback_request = feedback_request_load(signed_token=token)
    except FeedbackLinkInvalid:
        return _invalid_link(request)
    if request.user.is_authenticated:
        return _render_public(request, "followups/care/feedback_staff.html", {}, translation.get_language(), status=403)
    language = feedback_request.language
    can_change = feedback_can_change(feedback_request)
    context = {
        "feedback": feedback_request,
        "can_change": can_change,
        "window": settings.FEEDBACK_CHANGE_WINDOW_MINUTES,
    }
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if not can_change:
            return _render_public(request, "followups/care/feedback_closed.html", context, language, status=409)
        if form.is_valid():
            try:
                feedback_request = feedback_submit(
                    feedback=feedback_request, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
                )
            except FeedbackClosed:
                return _render_public(request, "followups/care/feedback_closed.html", context, language, status=409)
            context["feedback"] = feedback_request
            return _render_public(request, "followups/care/feedback_thanks.html", context, language)
        return _render_public(request, "followups/care/feedback.html", {**context, "form": form}, language, status=400)
    if not can_change:
        return _render_public(request, "followups/care/feedback_closed.html", context, language)
    initial = {"rating": feedback_request.rating, "comment": feedback_request.comment}
    return _render_public(
        request, "followups/care/feedback.html", {**context, "form": FeedbackForm(initial=initial)}, language
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        contact = unsubscribe_contact_load(signed_token=token)
    except FeedbackLinkInvalid:
        return _invalid_link(request)
    done = False
    if request.method == "POST":
        contact_unsubscribe_checkins(contact=contact)
        done = True
    context = {"contact": contact, "done": done or not contact.accepts_checkins}
    return _render_public(request, "followups/care/unsubscribe.html", context, contact.preferred_language)
