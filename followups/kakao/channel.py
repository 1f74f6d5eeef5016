"""The agency's KakaoTalk channel: its stored settings, the gateways they make, and the services
of /settings/kakao/ (managers). Secrets are sealed (agency_crm.sealing) and never shown again."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agency_crm.sealing import SealedSecretError, secret_open, secret_seal

from .gateway import Credentials, TestOutcome
from .happytalk import HappytalkGateway
from .models import KakaoChannel
from .nhncloud import NhnCloudGateway

CHAT_SECRET_PURPOSE = "followups.kakao.chat-client-secret"
ALIMTALK_SECRET_PURPOSE = "followups.kakao.alimtalk-secret-key"
# Provider timeouts: the webhook and the outbox worker never wait longer on a provider.
TIMEOUT_SECONDS = 10.0

CHAT_ADAPTERS = {KakaoChannel.ChatProvider.HAPPYTALK: HappytalkGateway}
ALIMTALK_ADAPTERS = {KakaoChannel.AlimTalkProvider.NHN_CLOUD: NhnCloudGateway}


def kakao_channel() -> KakaoChannel:
    """The singleton row, made on first use with a fresh webhook secret."""
    row = KakaoChannel.objects.filter(pk=1).first()
    if row is None:
        row, _created = KakaoChannel.objects.get_or_create(pk=1, defaults={"inbound_secret": secrets.token_urlsafe(32)})
    return row


def _open(sealed: str, purpose: str) -> str:
    if not sealed:
        return ""
    try:
        return secret_open(sealed=sealed, purpose=purpose)
    except SealedSecretError:
        # Sealed under a SECRET_KEY no longer configured: calls fail as refused credentials.
        return ""


def chat_gateway(row: KakaoChannel | None = None):
    row = row or KakaoChannel.objects.filter(pk=1).first()
    if row is None or row.chat_provider not in CHAT_ADAPTERS:
        return None
    return CHAT_ADAPTERS[row.chat_provider](
        Credentials(
            base_url=row.chat_base_url,
            client_id=row.chat_client_id,
            secret=_open(row.chat_client_secret_sealed, CHAT_SECRET_PURPOSE),
            sender_key=row.chat_sender_key,
            timeout=TIMEOUT_SECONDS,
        )
    )


def alimtalk_gateway(row: KakaoChannel | None = None):
    row = row or KakaoChannel.objects.filter(pk=1).first()
    if row is None or row.alimtalk_provider not in ALIMTALK_ADAPTERS:
        return None
    return ALIMTALK_ADAPTERS[row.alimtalk_provider](
        Credentials(
            base_url=row.alimtalk_base_url,
            client_id=row.alimtalk_appkey,
            secret=_open(row.alimtalk_secret_sealed, ALIMTALK_SECRET_PURPOSE),
            sender_key=row.alimtalk_sender_key,
            timeout=TIMEOUT_SECONDS,
        )
    )


def kakao_connected() -> bool:
    """The checklist's item: a 상담톡 dealer is connected (one query)."""
    return KakaoChannel.objects.filter(pk=1).exclude(chat_provider="").exists()


def inbound_url(row: KakaoChannel) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("followups:kakao_inbound", args=[row.inbound_secret])


@transaction.atomic
def kakao_channel_save(*, by, chat_secret: str = "", alimtalk_secret: str = "", **fields) -> KakaoChannel:
    """Store the channel's settings; an empty secret keeps the stored one (never shown again)."""
    kakao_channel()
    row = KakaoChannel.objects.select_for_update().get(pk=1)
    for name, value in fields.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    if chat_secret:
        row.chat_client_secret_sealed = secret_seal(text=chat_secret, purpose=CHAT_SECRET_PURPOSE)
    if alimtalk_secret:
        row.alimtalk_secret_sealed = secret_seal(text=alimtalk_secret, purpose=ALIMTALK_SECRET_PURPOSE)
    row.updated_by = by
    row.last_test_at, row.last_test_ok, row.last_test_message = None, None, ""
    row.save()
    return row


def kakao_webhook_secret_rotate(*, by) -> KakaoChannel:
    """A new secret path: the old webhook address stops working at once."""
    row = kakao_channel()
    KakaoChannel.objects.filter(pk=1).update(inbound_secret=secrets.token_urlsafe(32), updated_by=by)
    row.refresh_from_db()
    return row


def kakao_channel_test() -> list[tuple[str, TestOutcome]]:
    """*Test*: ask each connected provider whether it takes our credentials; the outcome is kept."""
    row = kakao_channel()
    outcomes = []
    for label, gateway in (("상담톡", chat_gateway(row)), ("알림톡", alimtalk_gateway(row))):
        if gateway is not None:
            outcomes.append((label, gateway.test()))
    ok = bool(outcomes) and all(outcome.ok for _label, outcome in outcomes)
    message = " · ".join(f"{label}: {outcome.message}" for label, outcome in outcomes)
    KakaoChannel.objects.filter(pk=1).update(last_test_at=timezone.now(), last_test_ok=ok, last_test_message=message)
    return outcomes
