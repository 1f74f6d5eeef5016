"""The pipeline board, a card's move, and the managers' settings of stages and lost reasons."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm import params
from agency_crm.roles import manager_required
from inquiries.models import Inquiry
from inquiries.selectors import inquiry_owner_choices

from . import selectors, services
from .forms import LostReasonFormSet, MoveForm, StageForm
from .models import LostReason


def _filters(data, owners) -> selectors.Filters:
    owner_id = params.integer(data, "owner")
    return selectors.Filters(
        owner_id=owner_id if any(user.pk == owner_id for user in owners) else None,
        source=params.choice(data, "source", Inquiry.Source.values),
        stale=params.flag(data, "stale"),
    )


def _board_url(filters: selectors.Filters) -> str:
    query = filters.query()
    return reverse("board:board") + (f"?{urlencode(query)}" if query else "")


def _options(choices, selected=None):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


def board(request):
    owners = list(inquiry_owner_choices())
    filters = _filters(request.GET, owners)
    columns = selectors.board_columns(filters=filters)
    stages = [column.stage for column in columns]
    choices = [(stage.status, stage.name) for stage in stages]
    reasons = [("", "—")] + [(reason.pk, reason.name) for reason in selectors.lost_reasons()]
    return render(
        request,
        "board/board.jinja",
        {
            "columns": columns,
            "filters": filters,
            "filter_query": filters.query(),
            "owners": owners,
            "sources": Inquiry.Source.choices,
            # Every card has the same menu: its options are written once per page (a board shows
            # up to 350 cards), with each stage's own selected, and so is the CSRF field.
            "stage_options": {status: _options(choices, status) for status, _name in choices},
            "reason_options": _options(reasons),
            "csrf_field": csrf_input(request),
            "movable_ids": services.movable_ids(request.user, [card for column in columns for card in column.cards]),
        },
        using="jinja2",
    )


@require_POST
def move(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    filters = _filters(request.POST, list(inquiry_owner_choices()))
    form = MoveForm(request.POST, stages=selectors.stages())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_board_url(filters))
    try:
        services.inquiry_move(
            inquiry=inquiry,
            status=form.cleaned_data["status"],
            actor=request.user,
            lost_reason=form.cleaned_data["lost_reason"],
            lost_note=form.cleaned_data["lost_note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{inquiry.title}: {message}")
    else:
        stage = {stage.status: stage for stage in selectors.stages()}[form.cleaned_data["status"]]
        messages.success(request, _("“%(title)s” moved to %(stage)s.") % {"title": inquiry.title, "stage": stage.name})
    return redirect(_board_url(filters))


@manager_required
@require_http_methods(["GET", "POST"])
def pipeline_settings(request):
    data = request.POST if request.method == "POST" else None
    stage_forms = [StageForm(data, instance=stage, prefix=f"stage-{stage.status}") for stage in selectors.stages()]
    reason_formset = LostReasonFormSet(data, queryset=LostReason.objects.all(), prefix="reasons")
    if data is not None and all(form.is_valid() for form in stage_forms) and reason_formset.is_valid():
        services.pipeline_settings_save(stage_forms=stage_forms, reason_formset=reason_formset)
        messages.success(request, _("Pipeline settings saved."))
        return redirect("board:settings")
    return render(
        request,
        "board/settings.html",
        {"stage_forms": stage_forms, "reason_formset": reason_formset},
        status=400 if data is not None else 200,
    )
