"""The contact form (/contact/, /contact/embed/) and the managers' pages: the filtered list and
the form's settings with the embed snippet.

The public form is exempt from CSRF: it has no session to protect and is posted from inside
another site's iframe, where browsers withhold our cookies; the signed fill-time token stands in
for the CSRF token (a form must have been shown, recently). Rate limits run before anything is
read: past them the visitor gets 429 and nothing is stored.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from agency_crm.agency.selectors import contact_form_allowed_origins
from agency_crm.downloads import download_response
from agency_crm.public import public_language, render_public
from agency_crm.roles import is_manager, manager_required

from .forms import ContactWebForm, WebFormSettingsForm
from .models import WebAttachment, WebFormSettings, WebSubmission
from .services import submission_receive, submission_release
from .spam import address_for_limit, fill_token, fill_too_fast, spam_reason


def _framing(response, embedded: bool):
    """The embedded form may be framed by the configured origins only (CSP frame-ancestors)."""
    if embedded:
        # Stored on /settings/agency/, else CONTACT_FORM_ALLOWED_ORIGINS.
        origins = contact_form_allowed_origins()
        response._csp_replace = {"frame-ancestors": origins or ["'none'"]}
        if origins:
            response.xframe_options_exempt = True
    return response


def _client_ip(request) -> str | None:
    value = request.META.get(settings.RATELIMIT_IP_META_KEY, "") or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip() or None


def _too_fast(data: dict) -> bool:
    return not data.get("website", "").strip() and fill_too_fast(data.get("started", ""))


def _contact(request, embedded: bool):
    language = public_language(request, request.GET.get("lang", ""))
    template = "followups/webform/contact_embed.html" if embedded else "followups/webform/contact.html"
    with translation.override(language):
        if request.method == "POST":
            if is_ratelimited(
                request, group="contact.ip", key="ip", rate=settings.CONTACT_FORM_RATE_PER_IP, increment=True
            ):
                return _framing(HttpResponse(status=429), embedded)
            form = ContactWebForm(request.POST, request.FILES)
            if form.is_valid() and _too_fast(form.cleaned_data):
                # A person who was quick gets their words back; a robot learns only to wait.
                form.add_error(None, _("Please check your message and send it again."))
            elif form.is_valid():
                data = form.cleaned_data
                email = address_for_limit(data["email"])
                if is_ratelimited(
                    request,
                    group="contact.email",
                    key=lambda group, request: email,
                    rate=settings.CONTACT_FORM_RATE_PER_EMAIL,
                    increment=True,
                ):
                    return _framing(HttpResponse(status=429), embedded)
                submission_receive(
                    data=data,
                    files=data["attachments"],
                    language=language,
                    ip=_client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    embedded=embedded,
                    filter_reason=spam_reason(honeypot=data.get("website", ""), token=data.get("started", "")),
                )
                name = "followups:contact_embed_thanks" if embedded else "followups:contact_thanks"
                return _framing(redirect(f"{reverse(name)}?lang={language}"), embedded)
            form.data = form.data.copy()
            form.data["started"] = fill_token()
            status = 400
        else:
            form = ContactWebForm(initial={"started": fill_token()})
            status = 200
        context = {
            "form": form,
            "language": language,
            "max_files": settings.CONTACT_FORM_MAX_FILES,
            "max_bytes": settings.CONTACT_FORM_MAX_ATTACHMENT_BYTES,
        }
        return _framing(render_public(request, template, context, language, status=status), embedded)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def contact(request):
    return _contact(request, embedded=False)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def contact_embed(request):
    return _contact(request, embedded=True)


# Its 413 page (agency_crm.errors) shows inside the allowed sites' iframes like the form.
contact_embed.error_page_framing = functools.partial(_framing, embedded=True)


@login_not_required
def contact_thanks(request):
    language = public_language(request, request.GET.get("lang", ""))
    return render_public(request, "followups/webform/thanks.html", {"embedded": False}, language)


@login_not_required
def contact_embed_thanks(request):
    language = public_language(request, request.GET.get("lang", ""))
    response = render_public(request, "followups/webform/thanks_embed.html", {"embedded": True}, language)
    return _framing(response, embedded=True)


# --- managers ----------------------------------------------------------------------------------
@manager_required
def filtered_list(request):
    submissions = WebSubmission.objects.filter(status=WebSubmission.Status.FILTERED).prefetch_related("attachments")
    page = Paginator(submissions, 50).get_page(request.GET.get("page"))
    released = (
        WebSubmission.objects.filter(status=WebSubmission.Status.RELEASED)
        .select_related("released_by", "conversation")
        .order_by("-released_at")[:10]
    )
    return render(request, "followups/webform/filtered_list.html", {"page": page, "released": released})


@manager_required
@require_POST
def filtered_release(request, pk: int):
    submission = get_object_or_404(WebSubmission, pk=pk)
    try:
        submission = submission_release(submission=submission, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("followups:contact_filtered")
    if submission.status == WebSubmission.Status.FILTERED:
        messages.error(request, _("It still could not be processed; the error is in the server log."))
    else:
        messages.success(request, _("Released: the message is now in the inbox."))
    return redirect("followups:contact_filtered")


@manager_required
@require_http_methods(["GET", "POST"])
def form_settings(request):
    row = WebFormSettings.load()
    form = WebFormSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact form settings saved."))
        return redirect("followups:contact_settings")
    embed_url = settings.SITE_URL + reverse("followups:contact_embed")
    context = {
        "form": form,
        "embed_url": embed_url,
        "page_url": settings.SITE_URL + reverse("followups:contact"),
        "origins": contact_form_allowed_origins(),
        "filtered_count": WebSubmission.objects.filter(status=WebSubmission.Status.FILTERED).count(),
    }
    return render(request, "followups/webform/settings.html", context)


def attachment_download(request, pk: int):
    attachment = get_object_or_404(WebAttachment.objects.select_related("submission"), pk=pk)
    if attachment.submission.status == WebSubmission.Status.FILTERED and not is_manager(request.user):
        # The filtered list is the managers' (spam may carry anything); its files are too.
        raise PermissionDenied
    return download_response(attachment.file, attachment.filename)
