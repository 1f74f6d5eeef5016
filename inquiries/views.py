from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors
from clients.models import Client

from . import selectors, services
from .forms import AcceptForm, DeliveredForm, DiscoveryForm, InquiryForm, ScopeItemForm, StatusForm
from .models import Inquiry, Proposal, ScopeItem


# --- staff pages -------------------------------------------------------------------------------
def inquiry_list(request):
    status = params.choice(request.GET, "status", Inquiry.Status.values)
    sort = params.choice(request.GET, "sort", selectors.LIST_SORTS, default="newest")
    owners = list(selectors.inquiry_owner_choices())
    owner_id = params.integer(request.GET, "owner")
    owner_id = owner_id if any(u.pk == owner_id for u in owners) else None
    page = Paginator(selectors.inquiry_list(status=status, owner_id=owner_id, sort=sort), 50).get_page(
        params.page(request.GET)
    )
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "page": page,
            "owners": owners,
            "status_choices": Inquiry.Status.choices,
            "status_counts": selectors.inquiry_status_counts(),
            "sort_choices": [
                ("newest", _("Newest first")),
                ("oldest", _("Oldest first")),
                ("deadline", _("Deadline")),
                ("client", _("Client")),
            ],
            "current": {"status": status, "owner": owner_id, "sort": sort},
        },
    )


def _preselected_client(request) -> Client | None:
    """`?client=<id>` (the client page's "New inquiry"): a customer to start the form with."""
    pk = params.integer(request.GET, "client")
    return Client.objects.customers().filter(pk=pk).first() if pk else None


@require_http_methods(["GET", "POST"])
def inquiry_create(request):
    form = InquiryForm(request.POST or None, user=request.user, client=_preselected_client(request))
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create(
                actor=request.user,
                details=form.inquiry_details(),
                client=form.cleaned_data["client"],
                new_client_name=form.cleaned_data["new_client_name"],
                contact=form.cleaned_data["contact"],
                new_contact_name=form.cleaned_data["new_contact_name"],
                new_contact_email=form.cleaned_data["new_contact_email"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Inquiry recorded."))
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def inquiry_edit(request, pk: int):
    inquiry = get_object_or_404(Inquiry.objects.select_related("client"), pk=pk)
    form = InquiryForm(request.POST or None, instance=inquiry, user=request.user)
    if request.method == "POST":
        form.refuse_forged_owner_changes()
    if request.method == "POST" and form.is_valid():
        changes = form.inquiry_details() | {"contact": form.cleaned_data["contact"]}
        try:
            services.inquiry_update(inquiry=inquiry, actor=request.user, changes=changes)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Inquiry saved."))
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form, "inquiry": inquiry})


def _detail_context(inquiry: Inquiry, **forms) -> dict:
    items = list(inquiry.scope_items.all())
    checklist = selectors.discovery_checklist(inquiry)
    answered = sum(1 for row in checklist if row.answer)
    comparison = selectors.scope_comparison(inquiry=inquiry, items=items)
    return {
        "inquiry": inquiry,
        "items": items,
        "bundles": [
            (_("Car"), _("Musts only: what is needed now."), comparison.car),
            (_("Flying car"), _("Musts + Shoulds + Coulds: everything that was wished for."), comparison.flying_car),
        ],
        "needs": [i for i in items if i.is_need],
        "wants": [i for i in items if i.is_want],
        "wonts": [i for i in items if i.priority == ScopeItem.Priority.WONT],
        "comparison": comparison,
        "checklist": checklist,
        "checklist_answered": answered,
        "checklist_percent": round(100 * answered / len(checklist)) if checklist else 0,
        "proposals": list(inquiry.proposals.all()),
        "item_form": forms.get("item_form") or ScopeItemForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": inquiry.status}),
        "discovery_form": forms.get("discovery_form") or DiscoveryForm(checklist=checklist),
        "delivered_form": forms.get("delivered_form") or DeliveredForm(initial={"delivered_on": inquiry.delivered_on}),
    }


def inquiry_detail(request, pk: int):
    inquiry = get_object_or_404(selectors.inquiry_detail_queryset(), pk=pk)
    return render(request, "inquiries/inquiry_detail.html", _detail_context(inquiry))


def _render_detail_with(request, pk: int, **forms):
    inquiry = get_object_or_404(selectors.inquiry_detail_queryset(), pk=pk)
    return render(request, "inquiries/inquiry_detail.html", _detail_context(inquiry, **forms), status=400)


@require_POST
def inquiry_status(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_set_status(
                inquiry=inquiry,
                status=form.cleaned_data["status"],
                lost_reason=form.cleaned_data["lost_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Status updated."))
            return redirect(inquiry)
    return _render_detail_with(request, pk, status_form=form)


@require_POST
def inquiry_discovery(request, pk: int):
    inquiry = get_object_or_404(selectors.inquiry_detail_queryset(), pk=pk)
    form = DiscoveryForm(request.POST, checklist=selectors.discovery_checklist(inquiry))
    if form.is_valid():
        services.inquiry_discovery_save(inquiry=inquiry, answers=form.answers(), actor=request.user)
        messages.success(request, _("Discovery answers saved."))
        return redirect(f"{inquiry.get_absolute_url()}#discovery")
    return _render_detail_with(request, pk, discovery_form=form)


@require_POST
def inquiry_delivered(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = DeliveredForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_mark_delivered(
                inquiry=inquiry, delivered_on=form.cleaned_data["delivered_on"], actor=request.user
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Delivery date saved."))
            return redirect(inquiry)
    return _render_detail_with(request, pk, delivered_form=form)


@require_POST
def scope_item_add(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    form = ScopeItemForm(request.POST)
    if form.is_valid():
        try:
            services.scope_item_add(inquiry=inquiry, actor=request.user, fields=form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Scope item added."))
            return redirect(f"{inquiry.get_absolute_url()}#scope")
    return _render_detail_with(request, pk, item_form=form)


@require_http_methods(["GET", "POST"])
def scope_item_edit(request, pk: int, item_id: int):
    item = get_object_or_404(ScopeItem.objects.select_related("inquiry"), pk=item_id, inquiry_id=pk)
    form = ScopeItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.scope_item_update(item=item, actor=request.user, fields=form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Scope item saved."))
            return redirect(f"{item.inquiry.get_absolute_url()}#scope")
    return render(request, "inquiries/scope_item_form.html", {"form": form, "item": item, "inquiry": item.inquiry})


@require_POST
def scope_item_delete(request, pk: int, item_id: int):
    item = get_object_or_404(ScopeItem, pk=item_id, inquiry_id=pk)
    services.scope_item_delete(item=item, actor=request.user)
    messages.success(request, _("Scope item removed."))
    return redirect(reverse("inquiries:detail", args=[pk]) + "#scope")


@require_POST
def scope_item_move(request, pk: int, item_id: int):
    item = get_object_or_404(ScopeItem, pk=item_id, inquiry_id=pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    services.scope_item_move(item=item, direction=direction, actor=request.user)
    return redirect(reverse("inquiries:detail", args=[pk]) + "#scope")


@require_POST
def proposal_send(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    try:
        proposal = services.proposal_send(inquiry=inquiry, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(inquiry)
    contact = proposal.inquiry.contact
    if contact is not None and contact.email:
        messages.success(
            request,
            _("Proposal version %(number)s was emailed to %(name)s <%(email)s>.")
            % {"number": proposal.number, "name": contact.name, "email": contact.email},
        )
    else:
        messages.warning(
            request,
            _(
                "Proposal version %(number)s is frozen. %(contact)s has no email address: "
                "copy the link below and send it yourself."
            )
            % {"number": proposal.number, "contact": contact.name if contact else _("The inquiry's contact")},
        )
    return redirect(proposal)


def proposal_detail(request, pk: int, number: int):
    proposal = get_object_or_404(
        Proposal.objects.select_related("inquiry__client", "inquiry__contact", "sent_by"), inquiry_id=pk, number=number
    )
    return render(
        request,
        "inquiries/proposal_detail.html",
        {
            "proposal": proposal,
            "inquiry": proposal.inquiry,
            "public_url": proposal.public_link,
            "view": _proposal_view(proposal),
        },
    )


# --- the client's public page ------------------------------------------------------------------
def _proposal_view(proposal: Proposal) -> dict:
    """The snapshot grouped the way the client reads it."""
    snapshot = proposal.snapshot
    items = snapshot["items"]
    accepted = set(proposal.accepted_item_ids or [])
    for item in items:
        item["accepted"] = item["priority"] == "must" or item["id"] in accepted
    return {
        "snapshot": snapshot,
        "currency": snapshot["currency"],
        "needs": [i for i in items if i["priority"] == "must"],
        "wants": [i for i in items if i["priority"] in ("should", "could")],
        "wonts": [i for i in items if i["priority"] == "wont"],
    }


def _link_problem(request, *, status: int, title: str, message: str):
    return render(request, "inquiries/public/link_problem.html", {"title": title, "message": message}, status=status)


def _proposal_from_token(request, token: str):
    """(proposal, None) for a good link, else (None, a friendly error response)."""
    try:
        key = services.proposal_key_from_token(token)
    except signing.SignatureExpired:
        return None, _link_problem(
            request,
            status=410,
            title=_("This link has expired"),
            message=_("Proposal links are valid for a limited time. Please ask us for a fresh link."),
        )
    except signing.BadSignature:
        return None, _link_problem(
            request,
            status=400,
            title=_("This link is not valid"),
            message=_("The link may have been cut short or changed. Please use the full link from our email."),
        )
    proposal = selectors.proposal_for_key(key)
    if proposal is None:
        return None, _link_problem(
            request,
            status=404,
            title=_("Proposal not found"),
            message=_("This proposal no longer exists. Please contact us."),
        )
    return proposal, None


def _render_public(request, proposal: Proposal, form: AcceptForm, status: int = 200, error: str = ""):
    latest = proposal.inquiry.proposals.order_by("-number").values_list("number", flat=True).first()
    view = _proposal_view(proposal)
    return render(
        request,
        "inquiries/public/proposal.html",
        {
            "proposal": proposal,
            "view": view,
            "form": form,
            "error": error,
            # The customer reads the agency's name, not the CRM's.
            "agency_name": settings.AGENCY_NAME,
            "superseded": latest != proposal.number,
            "inquiry_closed": proposal.inquiry.status in (Inquiry.Status.WON, Inquiry.Status.LOST),
            "car_total": services.proposal_accept_total(snapshot=proposal.snapshot, want_ids=[]),
        },
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def public_proposal(request, token: str):
    """Read-only: mail scanners open links, so a GET never changes anything."""
    proposal, problem = _proposal_from_token(request, token)
    if problem:
        return problem
    return _render_public(request, proposal, AcceptForm(snapshot=proposal.snapshot))


@login_not_required
@never_cache
@require_POST
def public_proposal_accept(request, token: str):
    proposal, problem = _proposal_from_token(request, token)
    if problem:
        return problem
    form = AcceptForm(request.POST, snapshot=proposal.snapshot)
    if not form.is_valid():
        return _render_public(request, proposal, form, status=400)
    try:
        services.proposal_accept(
            proposal=proposal, accepted_by_name=form.cleaned_data["name"], want_ids=form.cleaned_data["wants"]
        )
    except services.ProposalNotAcceptable as exc:
        proposal.refresh_from_db()
        return _render_public(request, proposal, form, status=409, error=exc.message)
    except ValidationError as exc:
        return _render_public(request, proposal, form, status=400, error=" ".join(exc.messages))
    return redirect(proposal.get_public_url())
