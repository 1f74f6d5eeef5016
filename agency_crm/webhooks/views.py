"""/settings/webhooks/ (managers): endpoints, their secrets (shown once), the delivery log,
Redeliver and Send ping."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors
from agency_crm.roles import manager_required

from . import selectors, services
from .forms import EndpointForm
from .models import WebhookDelivery, WebhookEndpoint

PAGE_SIZE = 50


@manager_required
@require_GET
def endpoint_list(request):
    return render(request, "agency_crm/webhooks/list.html", {"endpoints": selectors.endpoints_list()})


def _show_secret(request, endpoint: WebhookEndpoint, secret: str, *, rotated: bool):
    # Rendered in the answer to the POST itself, never stored in a session or a URL: once
    # this page is left, nobody can read the secret again (never_cache keeps it out of caches).
    return render(
        request, "agency_crm/webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "rotated": rotated}
    )


@manager_required
@never_cache
@require_http_methods(["GET", "POST"])
def endpoint_create(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _show_secret(request, endpoint, secret, rotated=False)
    return render(
        request, "agency_crm/webhooks/form.html", {"form": form, "endpoint": None}, status=400 if form.errors else 200
    )


@manager_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:detail", pk=endpoint.pk)
    return render(
        request,
        "agency_crm/webhooks/form.html",
        {"form": form, "endpoint": endpoint},
        status=400 if form.errors else 200,
    )


@manager_required
@require_GET
def endpoint_detail(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("created_by"), pk=pk)
    page = Paginator(selectors.endpoint_deliveries(endpoint=endpoint), PAGE_SIZE).get_page(params.page(request.GET))
    return render(request, "agency_crm/webhooks/detail.html", {"endpoint": endpoint, "page": page})


@manager_required
@never_cache
@require_POST
def endpoint_rotate(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = services.endpoint_rotate_secret(endpoint=endpoint)
    return _show_secret(request, endpoint, secret, rotated=True)


@manager_required
@require_POST
def endpoint_ping(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if services.endpoint_ping(endpoint=endpoint) is None:
        messages.error(request, _("This endpoint is turned off: turn it on to send a ping."))
    else:
        messages.success(request, _("A ping is on its way."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@manager_required
@require_POST
def endpoint_enable(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if services.endpoint_enable(endpoint=endpoint):
        messages.success(request, _("The endpoint is on again; waiting events go out in order."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@manager_required
@require_POST
def endpoint_delete(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, _("The endpoint was removed."))
    return redirect("webhooks:list")


def _delivery(pk: int, delivery_pk: int) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint", "event"), pk=delivery_pk, endpoint_id=pk
    )


@manager_required
@require_GET
def delivery_detail(request, pk: int, delivery_pk: int):
    delivery = _delivery(pk, delivery_pk)
    attempts = selectors.delivery_attempts(delivery=delivery)[:50]
    return render(request, "agency_crm/webhooks/delivery.html", {"delivery": delivery, "attempts": attempts})


@manager_required
@require_POST
def delivery_redeliver(request, pk: int, delivery_pk: int):
    delivery = _delivery(pk, delivery_pk)
    if services.delivery_redeliver(delivery=delivery):
        messages.success(request, _("The event will be delivered again, with the same webhook-id."))
    else:
        messages.info(request, _("This delivery is still on its way."))
    return redirect("webhooks:detail", pk=pk)
