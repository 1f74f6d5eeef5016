"""Who is who on Kakao: the contact of a user key, and each contact's AlimTalk consent and stop."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from clients.models import Contact
from clients.timeline import timeline_record

from .models import KakaoContactPreference, KakaoUser

# A customer who writes one of these alone is asked to hear nothing more from us by Kakao.
STOP_WORDS = {"stop", "수신거부", "수신 거부", "거부", "unsubscribe"}


def is_stop(text: str) -> bool:
    return " ".join(text.lower().split()).strip(" .!") in STOP_WORDS


def phone_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("82") and len(digits) >= 11:
        digits = "0" + digits[2:]  # +82 10-1234-5678 is 010-1234-5678
    return digits


def contact_for_kakao(*, user: KakaoUser, phone: str = "") -> Contact | None:
    """The contact of this user key: the one linked before, else one whose KakaoTalk ID is the
    key, else the one a previous conversation was attached to (triage), else one with the phone
    number the provider gave (non-archived clients first)."""
    if user.contact_id:
        return user.contact
    contact = Contact.objects.select_related("client").filter(kakao_id=user.user_key).order_by("id").first()
    if contact is None and user.conversation_id and user.conversation.contact_id:
        contact = user.conversation.contact
    digits = phone_digits(phone or user.phone)
    if contact is None and len(digits) >= 9:
        candidates = list(Contact.objects.select_related("client").filter(phone_digits=digits).order_by("id")[:20]) or [
            p.contact for p in KakaoContactPreference.objects.select_related("contact__client").filter(mobile=digits)
        ]
        active = [c for c in candidates if not c.client.is_archived]
        contact = (active or candidates or [None])[0]
    return contact


def preference_for(contact: Contact) -> KakaoContactPreference:
    preference, _created = KakaoContactPreference.objects.get_or_create(contact=contact)
    return preference


def kakao_preference_save(*, contact: Contact, mobile: str, alimtalk_consent: bool, stopped: bool, actor):
    """Staff set a contact's mobile, AlimTalk consent and stop (on the conversation's panel)."""
    with transaction.atomic():
        preference = KakaoContactPreference.objects.select_for_update().filter(contact=contact).first()
        preference = preference or KakaoContactPreference(contact=contact)
        now = timezone.now()
        changed_consent = preference.alimtalk_consent != alimtalk_consent
        was_stopped = preference.stopped_at is not None
        preference.mobile = phone_digits(mobile)
        preference.alimtalk_consent = alimtalk_consent
        if changed_consent:
            preference.consent_changed_at = now
        preference.stopped_at = (preference.stopped_at or now) if stopped else None
        preference.save()
        if changed_consent or was_stopped != stopped:
            if stopped:
                summary = gettext_noop("KakaoTalk for %(name)s: asked to receive nothing")
            elif alimtalk_consent:
                summary = gettext_noop("KakaoTalk for %(name)s: agreed to AlimTalk notices")
            else:
                summary = gettext_noop("KakaoTalk for %(name)s: no AlimTalk notices")
            timeline_record(
                client=contact.client,
                kind="kakao.preference",
                summary=summary,
                params={"name": contact.name},
                actor=actor,
                data={"contact_id": contact.pk, "alimtalk_consent": alimtalk_consent, "stopped": stopped},
            )
    return preference


def kakao_stop(*, contact: Contact, reason: str) -> KakaoContactPreference:
    """The customer said stop: honoured at once, before anything else is sent."""
    with transaction.atomic():
        preference = KakaoContactPreference.objects.select_for_update().filter(contact=contact).first()
        preference = preference or KakaoContactPreference(contact=contact)
        if preference.stopped_at is None:
            preference.stopped_at = timezone.now()
            preference.save()
            timeline_record(
                client=contact.client,
                kind="kakao.stopped",
                summary=gettext_noop("%(name)s asked to receive nothing more on KakaoTalk (%(reason)s)"),
                params={"name": contact.name, "reason": reason},
                data={"contact_id": contact.pk},
            )
    return preference


def kakao_stopped(contact: Contact | None) -> bool:
    if contact is None:
        return False
    return KakaoContactPreference.objects.filter(contact=contact, stopped_at__isnull=False).exists()
