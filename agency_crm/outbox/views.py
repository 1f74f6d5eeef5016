"""Staff pages: the outbox list, one email's preview, and the retry button.

Staff see emails to customers and emails addressed to themselves, managers all
(selectors.outbox_visible_to); any other email is 404 on the preview and on retry.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .models import OutboundEmail

PAGE_SIZE = 50


@require_GET
def outbox_list(request):
    status = request.GET.get("status")
    if status not in selectors.STATUS_FILTERS:
        status = None
    page = Paginator(selectors.outbox_list(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
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


@require_POST
def outbox_retry(request, email_id: int):
    email = _visible_email(request, email_id)
    if services.outbox_retry(email=email, actor=request.user):
        messages.success(request, _("The email will be sent again."))
    else:
        messages.info(request, _("Only failed emails can be retried."))
    return redirect("outbox_detail", email_id=email.pk)
