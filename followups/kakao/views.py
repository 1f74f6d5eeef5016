"""KakaoTalk pages: the provider's webhook, /settings/kakao/ (managers), and the conversation
panel's actions (an AlimTalk notice, a contact's consent and stop)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from agency_crm.downloads import download_response
from agency_crm.outbox import OutboundEmail
from agency_crm.roles import manager_required

from ..conversations.models import Conversation
from .alimtalk import alimtalk_send, alimtalk_template_register, alimtalk_template_remove
from .channel import inbound_url, kakao_channel, kakao_channel_save, kakao_channel_test, kakao_webhook_secret_rotate
from .forms import AlimTalkSendForm, KakaoChannelForm, KakaoPreferenceForm, TemplateForm
from .gateway import InboundRejected
from .identity import kakao_preference_save
from .inbound import kakao_inbound_accept
from .models import AlimTalkTemplate, KakaoAttachment, KakaoDelivery
from .notices import AUTOMATIC_VARIABLES, automatic_gaps
from .sessions import kakao_chat_end as chat_end

logger = logging.getLogger(__name__)

CHANNEL_FIELDS = [
    "chat_provider",
    "chat_base_url",
    "chat_client_id",
    "chat_sender_key",
    "alimtalk_provider",
    "alimtalk_base_url",
    "alimtalk_appkey",
    "alimtalk_sender_key",
    "sms_sender_no",
]


# --- the provider's webhook -------------------------------------------------------------------
@login_not_required
@csrf_exempt
@require_POST
def kakao_inbound(request, secret: str):
    """Verified by its secret path, stored once per provider message id, imported by a task."""
    try:
        created = kakao_inbound_accept(request=request, secret=secret)
    except InboundRejected as exc:
        logger.info("kakao: webhook delivery refused: %s", exc)
        return JsonResponse({"code": "rejected"}, status=exc.status)
    return JsonResponse({"code": "0000", "message": "success", "queued": len(created)})


# --- /settings/kakao/ -------------------------------------------------------------------------
def _settings_page(request, form, *, row=None, template_form=None, outcomes=None, status=200):
    row = row or kakao_channel()
    context = {
        "form": form,
        "template_form": template_form or TemplateForm(),
        "channel": row,
        "webhook_url": inbound_url(row),
        # Each template with what an automatic notice could not fill (None: sent by hand only).
        "templates": [(t, _as_variables(automatic_gaps(t))) for t in AlimTalkTemplate.objects.all()],
        "automatic_variables": [
            (AlimTalkTemplate.Purpose(purpose).label, " ".join(f"#{{{n}}}" for n in names))
            for purpose, names in AUTOMATIC_VARIABLES.items()
        ],
        "outcomes": outcomes,
        "recent": KakaoDelivery.objects.select_related("outbound_email", "template").order_by("-created_at")[:10],
    }
    return render(request, "followups/kakao/settings.html", context, status=status)


def _as_variables(names: list[str] | None) -> list[str] | None:
    return None if names is None else [f"#{{{name}}}" for name in names]


@manager_required
def kakao_settings(request):
    row = kakao_channel()
    if request.method == "POST":
        form = KakaoChannelForm(request.POST, stored=row)
        if not form.is_valid():
            return _settings_page(request, form, row=row, status=400)
        data = form.cleaned_data
        kakao_channel_save(
            by=request.user,
            chat_secret=data["chat_secret"],
            alimtalk_secret=data["alimtalk_secret"],
            **{name: data[name] for name in CHANNEL_FIELDS},
        )
        messages.success(request, _("The KakaoTalk settings are saved. Press Test to try them."))
        return redirect("followups:kakao_settings")
    initial = {name: getattr(row, name) for name in CHANNEL_FIELDS}
    return _settings_page(request, KakaoChannelForm(initial=initial, stored=row), row=row)


@manager_required
@require_POST
def kakao_settings_test(request):
    outcomes = kakao_channel_test()
    row = kakao_channel()
    form = KakaoChannelForm(initial={name: getattr(row, name) for name in CHANNEL_FIELDS}, stored=row)
    if not outcomes:
        messages.error(request, _("Choose a provider and save its settings first."))
    return _settings_page(request, form, outcomes=outcomes)


@manager_required
@require_POST
def kakao_webhook_rotate(request):
    kakao_webhook_secret_rotate(by=request.user)
    messages.success(request, _("The webhook address changed: give the new one to your provider."))
    return redirect("followups:kakao_settings")


@manager_required
@require_POST
def kakao_template_add(request):
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            alimtalk_template_register(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The AlimTalk template is registered."))
            return redirect("followups:kakao_settings")
    row = kakao_channel()
    channel_form = KakaoChannelForm(initial={name: getattr(row, name) for name in CHANNEL_FIELDS}, stored=row)
    return _settings_page(request, channel_form, template_form=form, status=400)


@manager_required
@require_POST
def kakao_template_delete(request, pk: int):
    alimtalk_template_remove(pk=pk)
    messages.success(request, _("The AlimTalk template is removed."))
    return redirect("followups:kakao_settings")


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- the conversation's KakaoTalk panel -------------------------------------------------------
@require_POST
def kakao_alimtalk(request, pk: int):
    """Send an AlimTalk notice from the conversation (the chat ended, or no chat at all)."""
    conversation = get_object_or_404(Conversation.objects.select_related("client", "contact"), pk=pk)
    form = AlimTalkSendForm(request.POST)
    if not form.is_valid() or conversation.contact is None:
        messages.error(request, _("Choose a template and fill every variable."))
        return redirect(conversation)
    try:
        alimtalk_send(
            template=form.cleaned_data["template"],
            contact=conversation.contact,
            values=form.values(),
            kind=OutboundEmail.Kind.OTHER,
            conversation=conversation,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The AlimTalk notice is queued for sending."))
    return redirect(conversation)


@require_POST
def kakao_chat_end(request, pk: int):
    """End the customer's KakaoTalk chat (any colleague may, as they may reply; the timeline
    says who did)."""
    conversation = get_object_or_404(Conversation.objects.select_related("client", "contact"), pk=pk)
    try:
        chat_end(conversation=conversation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The KakaoTalk chat is ended. The customer can start a new one by writing again."))
    return redirect(conversation)


@require_POST
def kakao_preference(request, pk: int):
    """A contact's mobile for AlimTalk, their consent and their stop (any colleague may record
    what the customer said; the timeline keeps who changed it)."""
    conversation = get_object_or_404(Conversation.objects.select_related("client", "contact"), pk=pk)
    form = KakaoPreferenceForm(request.POST)
    if conversation.contact is None or not form.is_valid():
        messages.error(request, _("Enter a mobile number of 9 to 20 digits."))
        return redirect(conversation)
    kakao_preference_save(contact=conversation.contact, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The KakaoTalk preferences are saved."))
    return redirect(conversation)


@require_GET
def kakao_attachment(request, pk: int):
    """A customer's photo or file, always as a download (never rendered inline)."""
    attachment = get_object_or_404(KakaoAttachment, pk=pk)
    if not attachment.file:
        raise Http404
    return download_response(attachment.file, attachment.filename)
