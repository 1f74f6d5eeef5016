"""/settings/people/ (managers): the team, its invitations, roles, deactivation, the sign-in
policy and the audit list; /join/<token>/: the invitee accepts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors
from agency_crm.people import display_name
from agency_crm.preferences.middleware import remember_in_session
from agency_crm.preferences.services import preferences_for
from agency_crm.public import render_public
from agency_crm.roles import manager_required
from clients import offboarding

from .. import invitations, members, selectors, twofactor
from ..forms import AcceptForm, InvitationForm, PolicyForm, RoleForm
from ..links import InvitationLinkError, invitation_from_token
from ..models import Invitation
from .signin import signin_complete


@manager_required
def people(request):
    context = {
        "members": selectors.team_members(),
        "invitations": selectors.open_invitations(),
        "policy": twofactor.policy(),
        "role_form": RoleForm(),
        "me": request.user.pk,
    }
    return render(request, "agency_crm/team/people.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def invite(request):
    form = InvitationForm(request.POST or None, initial={"language": translation.get_language(), "role": "staff"})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_send(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation to %(email)s is on its way.") % {"email": invitation.email})
            return redirect("team:people")
    return render(request, "agency_crm/team/invite.html", {"form": form}, status=400 if form.errors else 200)


def _invitation_action(request, pk: int, action, done: str):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        action(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("team:people")


@manager_required
@require_POST
def invitation_resend(request, pk: int):
    return _invitation_action(
        request, pk, invitations.invitation_resend, _("The invitation to %(email)s was sent again.")
    )


@manager_required
@require_POST
def invitation_cancel(request, pk: int):
    return _invitation_action(
        request, pk, invitations.invitation_cancel, _("The invitation to %(email)s was cancelled.")
    )


@manager_required
@require_POST
def role(request, user_pk: int):
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Staff or Manager."))
        return redirect("team:people")
    try:
        changed = members.member_set_role(person=person, role=form.cleaned_data["role"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed:
            messages.success(request, _("%(name)s's role was changed.") % {"name": display_name(person)})
    return redirect("team:people")


@manager_required
@require_http_methods(["GET", "POST"])
def deactivate(request, user_pk: int):
    """Deactivate a colleague who owns nothing; one who owns work is offered the hand-over."""
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    if request.method == "POST":
        try:
            members.member_deactivate(person=person, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s was deactivated.") % {"name": display_name(person)})
            return redirect("team:people")
    work = [(provider, count) for provider, count in offboarding.owned_work(person) if count]
    context = {"person": person, "work": work, "blocked": members.member_can_be_deactivated(person)}
    return render(request, "agency_crm/team/deactivate.html", context)


@manager_required
@require_POST
def policy(request):
    form = PolicyForm(request.POST)
    form.is_valid()
    try:
        twofactor.twofactor_policy_set(required=form.cleaned_data.get("required", False), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sign-in policy is saved."))
    return redirect("team:people")


@manager_required
@require_POST
def twofactor_reset(request, user_pk: int):
    """For a colleague who lost their phone and their recovery codes."""
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    twofactor.twofactor_turn_off(user=person, actor=request.user)
    messages.success(request, _("Two-factor sign-in of %(name)s was turned off.") % {"name": display_name(person)})
    return redirect("team:people")


@manager_required
def audit(request):
    person = params.integer(request.GET, "person")
    page = selectors.team_events(page=params.page(request.GET), person_id=person)
    subject = get_user_model().objects.filter(pk=person).first() if person else None
    return render(request, "agency_crm/team/audit.html", {"page_obj": page, "subject": subject})


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as error:
        return render_public(request, "agency_crm/team/invitation_invalid.html", {"reason": str(error)}, status=404)
    initial = {
        "username": invitation.email.split("@", 1)[0][:150],
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "language": invitation.language,
    }
    form = AcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            user = invitations.invitation_accept(
                token=token,
                username=values["username"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                password=values["password1"],
                language=values["language"],
            )
        except InvitationLinkError as error:
            return render_public(request, "agency_crm/team/invitation_invalid.html", {"reason": str(error)}, status=404)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            signin_complete(request, user, backend="django.contrib.auth.backends.ModelBackend")
            remember_in_session(request.session, preferences_for(user))
            translation.activate(values["language"])
            messages.success(request, _("Welcome to Gonggam! Your account is ready."))
            return redirect("home")
    context = {"form": form, "invitation": invitation}
    language = request.POST.get("language") if form.is_bound else invitation.language
    return render_public(
        request, "agency_crm/team/accept.html", context, language=language or "", status=400 if form.errors else 200
    )
