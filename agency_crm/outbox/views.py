"""Staff pages: the outbox list, one email's preview, and the retry button.

Staff see emails to customers and emails addressed to themselves, managers all
(selectors.outbox_visible_to); any other email is 404 on the preview and on retry.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from .. import params
from . import redaction, selectors, services
from .models import OutboundEmail

PAGE_SIZE = 50


@require_GET
def outbox_list(request):
    status = params.choice(request.GET, "status", selectors.STATUS_FILTERS) or None
    page = Paginator(selectors.outbox_list(user=request.user, status=status), PAGE_SIZE).get_page(
        params.page(request.GET)
    )
    return render(
        request,
        "agency_crm/outbox_list.html",
        {
            "page": page,
            "status": status,
            "statuses": OutboundEmail.Status.choices,
            "counts": selectors.outbox_status_counts(user=request.user),
        },
    )


def _visible_email(request, email_id: int) -> OutboundEmail:
    return get_object_or_404(selectors.outbox_visible_to(request.user).select_related("client"), pk=email_id)


@require_GET
def outbox_detail(request, email_id: int):
    email = _visible_email(request, email_id)
    return render(request, "agency_crm/outbox_detail.html", {"email": email})


# The frame of an email's HTML part: our own email templates style with inline styles (mail
# programs need them), so this policy allows those and nothing else; only our own pages may frame
# it, and it is a sandbox even when opened on its own.
OUTBOX_FRAME_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
    "sandbox": True,
}


@require_GET
@xframe_options_sameorigin
@csp(OUTBOX_FRAME_POLICY)
def outbox_html(request, email_id: int):
    """The HTML part of one email, for the sandboxed frame of outbox_detail. It shows what
    outbox_detail shows: whoever may open that page may open this one, and no one else."""
    email = _visible_email(request, email_id)
    if not email.html_body:
        raise Http404
    # Staff never see a customer's feedback or unsubscribe link, here either.
    response = HttpResponse(
        redaction.hide_customer_links_html(email.html_body), content_type="text/html; charset=utf-8"
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def outbox_retry(request, email_id: int):
    email = _visible_email(request, email_id)
    if services.outbox_retry(email=email, actor=request.user):
        messages.success(request, _("The email will be sent again."))
    else:
        messages.info(request, _("Only failed emails can be retried."))
    return redirect("outbox_detail", email_id=email.pk)
