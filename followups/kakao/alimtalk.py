"""AlimTalk (알림톡) notices: templates approved by Kakao, registered here as they were approved,
sent to a consenting contact's mobile number through the outbox, with an SMS fallback.

Rules: every #{variable} of the template is filled (none left, none extra); the template's text
must be what the provider has for its code when the provider can tell (checked on registration);
only a contact with a mobile number who agreed and did not stop receives one. The provider's
word (delivered, failed, the SMS fallback's result) is read back by `delivery_results_sync`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.outbox.services import outbox_enqueue_transport
from agency_crm.outbox.transports import PermanentDeliveryError, TemporaryDeliveryError
from clients.models import Contact

from .channel import alimtalk_gateway, kakao_channel
from .gateway import GatewayFinal, GatewayRetryable, SmsFallback
from .models import AlimTalkTemplate, KakaoContactPreference, KakaoDelivery

TRANSPORT = "kakao_alimtalk"
VARIABLE = re.compile(r"#\{([^{}\s]{1,30})\}")


def template_variables(text: str) -> list[str]:
    return list(dict.fromkeys(VARIABLE.findall(text)))


def template_render(*, text: str, values: dict[str, str]) -> str:
    """The text with every #{name} filled; ValidationError names any left empty or unknown."""
    names = template_variables(text)
    missing = [name for name in names if not str(values.get(name, "")).strip()]
    if missing:
        raise ValidationError(
            _("Fill every variable of the template: %(names)s.") % {"names": ", ".join(f"#{{{n}}}" for n in missing)}
        )
    extra = sorted(set(values) - set(names))
    if extra:
        raise ValidationError(_("The template has no variable %(names)s.") % {"names": ", ".join(extra)})
    return VARIABLE.sub(lambda match: str(values[match.group(1)]).strip(), text)


def alimtalk_template_register(
    *, code: str, name: str, purpose: str, text: str, buttons: list | None = None, by
) -> AlimTalkTemplate:
    """Register an approved template; with a provider connected, its text must be the approved one."""
    code, text = code.strip(), text.replace("\r\n", "\n").strip()
    if not template_variables(text) and "#{" in text:
        raise ValidationError({"text": _("Write variables as #{name}, without spaces.")})
    gateway = alimtalk_gateway()
    if gateway is not None:
        try:
            approved = gateway.template_text(template_code=code)
        except (GatewayRetryable, GatewayFinal) as exc:
            raise ValidationError(
                _("The provider could not be asked about this template: %(reason)s") % {"reason": exc}
            ) from exc
        if approved is None:
            raise ValidationError({"code": _("The provider has no template with this code.")})
        if approved.replace("\r\n", "\n").strip() != text:
            raise ValidationError(
                {"text": _("This is not the text Kakao approved for %(code)s. Copy it exactly.") % {"code": code}}
            )
    template, _created = AlimTalkTemplate.objects.update_or_create(
        code=code,
        defaults={"name": name.strip(), "purpose": purpose, "text": text, "buttons": buttons or [], "created_by": by},
    )
    return template


def alimtalk_template_remove(*, pk: int) -> bool:
    """Stop using a registered template (the provider keeps it approved); True if one was removed."""
    deleted, _rows = AlimTalkTemplate.objects.filter(pk=pk).delete()
    return bool(deleted)


def alimtalk_recipient(contact: Contact | None) -> KakaoContactPreference | None:
    """The contact's preference when AlimTalk may reach them (mobile, consent, no stop), else None."""
    if contact is None:
        return None
    preference = KakaoContactPreference.objects.filter(contact=contact).first()
    return preference if preference is not None and preference.may_receive_alimtalk else None


@transaction.atomic
def alimtalk_send(
    *,
    template: AlimTalkTemplate,
    contact: Contact,
    values: dict[str, str],
    kind: str,
    conversation=None,
    sms_fallback: bool = True,
    notice_key: str = "",
):
    """Write one AlimTalk notice to the outbox (sent after the commit, with its retries)."""
    preference = alimtalk_recipient(contact)
    if preference is None:
        raise ValidationError(
            _("%(name)s has no mobile number for AlimTalk, did not agree to it, or asked to stop.")
            % {"name": contact.name}
        )
    text = template_render(text=template.text, values=values)
    channel = kakao_channel()
    related = {"contact_id": contact.pk, "template": template.code}
    if conversation is not None:
        related["conversation_id"] = conversation.pk
    email = outbox_enqueue_transport(
        transport=TRANSPORT,
        to=[preference.mobile],
        text=text,
        summary=_("AlimTalk %(code)s: %(text)s") % {"code": template.code, "text": text[:80]},
        kind=kind,
        language=contact.preferred_language,
        client=contact.client,
        headers={
            "template_code": template.code,
            "values": {name: str(values[name]).strip() for name in template_variables(template.text)},
            "sms_sender_no": channel.sms_sender_no if sms_fallback else "",
        },
        related=related,
    )
    KakaoDelivery.objects.create(
        outbound_email=email,
        kind=KakaoDelivery.Kind.ALIMTALK,
        contact=contact,
        template=template,
        notice_key=notice_key,
    )
    return email


def kakao_alimtalk_send(email) -> None:
    """The outbox transport "kakao_alimtalk": one send, the outbox id as the idempotency key."""
    gateway = alimtalk_gateway()
    if gateway is None:
        raise TemporaryDeliveryError("no AlimTalk provider is connected on /settings/kakao/")
    headers = email.headers or {}
    sender_no = headers.get("sms_sender_no", "")
    fallback = SmsFallback(sender_no=sender_no, text=email.text_body[:1000]) if sender_no else None
    try:
        sent = gateway.send_alimtalk(
            template_code=headers["template_code"],
            to=email.to[0],
            values=headers.get("values") or {},
            fallback=fallback,
            idempotency_key=f"gonggam-{email.pk}",
        )
    except GatewayRetryable as exc:
        raise TemporaryDeliveryError(str(exc)) from exc
    except GatewayFinal as exc:
        KakaoDelivery.objects.filter(outbound_email_id=email.pk).update(
            result_code=exc.code[:20], result_message=str(exc)[:500], results_checked_at=timezone.now()
        )
        raise PermanentDeliveryError(str(exc)) from exc
    KakaoDelivery.objects.filter(outbound_email_id=email.pk).update(
        request_id=sent.request_id[:100], result_code=sent.result_code[:20], result_message=sent.result_message[:500]
    )


def delivery_results_sync(*, limit: int = 100) -> int:
    """Read back the provider's results of sent AlimTalk notices (periodic, idempotent): the
    delivery and the SMS fallback's fate are stored; a final result is not asked again."""
    gateway = alimtalk_gateway()
    if gateway is None:
        return 0
    rows = list(
        KakaoDelivery.objects.filter(kind=KakaoDelivery.Kind.ALIMTALK, results_checked_at__isnull=True)
        .exclude(request_id="")
        .order_by("created_at")[:limit]
    )
    updated = 0
    for row in rows:
        try:
            results = gateway.delivery_results(request_id=row.request_id)
        except (GatewayRetryable, GatewayFinal):
            continue
        if not results:
            continue
        result = results[0]
        KakaoDelivery.objects.filter(pk=row.pk, results_checked_at__isnull=True).update(
            message_status=result.message_status[:30],
            sms_fallback_status=result.sms_fallback_status[:30],
            result_code=result.result_code[:20],
            results_checked_at=timezone.now() if result.final else None,
        )
        updated += 1
    return updated


def template_for(purpose: str) -> AlimTalkTemplate | None:
    return AlimTalkTemplate.objects.filter(purpose=purpose).order_by("code").first()


def notice_values(*, contact: Contact, conversation=None, extra: dict | None = None) -> dict[str, str]:
    """What an automatic notice can fill a template with: #{name}, #{agency}, #{subject}, #{due}
    (the conversation's reply due time), then what the caller knows (`extra`: text, or aware
    datetimes shown in the contact's language and the agency's zone)."""
    from agency_crm import facts
    from agency_crm.agency.selectors import agency_name

    values = {"name": contact.name, "agency": agency_name()}
    if conversation is not None:
        values["subject"] = conversation.subject
        if conversation.reply_due_at:
            values["due"] = facts.format_moment_for(contact.preferred_language, conversation.reply_due_at)
    for name, value in (extra or {}).items():
        if isinstance(value, dt.datetime):
            value = facts.format_moment_for(contact.preferred_language, value)
        values[name] = "" if value is None else str(value).strip()
    return values


def notice_key(*, purpose: str, contact: Contact, conversation=None, once_key: str = "") -> str:
    """The identity of an automatic notice: what the caller names (a proposal), else the
    conversation (or the contact) and the agency's day."""
    if once_key:
        return f"{purpose}:{once_key}"[:120]
    day = timezone.localdate().isoformat()
    about = f"conversation-{conversation.pk}" if conversation is not None else f"contact-{contact.pk}"
    return f"{purpose}:{about}:{day}"


def alimtalk_notice(
    *, purpose: str, contact: Contact, kind: str, conversation=None, values: dict | None = None, once_key: str = ""
):
    """An automatic notice (the acknowledgement, a proposal sent, a check-in...) by AlimTalk, when
    the agency registered a template for it, the contact may receive AlimTalk and we know every
    #{variable} of the template (else nothing is sent); at most once per `once_key`, or per
    conversation, purpose and day (kakao_notice_once). Returns the outbox row or None."""
    template = template_for(purpose)
    if template is None or alimtalk_recipient(contact) is None or alimtalk_gateway() is None:
        return None
    known = notice_values(contact=contact, conversation=conversation, extra=values)
    names = template_variables(template.text)
    if any(not known.get(name) for name in names):
        return None
    key = notice_key(purpose=purpose, contact=contact, conversation=conversation, once_key=once_key)
    if KakaoDelivery.objects.filter(notice_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return alimtalk_send(
                template=template,
                contact=contact,
                values={name: known[name] for name in names},
                kind=kind,
                conversation=conversation,
                notice_key=key,
            )
    except IntegrityError:
        return None  # a concurrent trigger wrote it first
