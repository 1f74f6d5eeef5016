"""A small world with one of everything a page can show, for the tests that visit every URL
(the odd-input test, the Content-Security-Policy browser test).

It is the demo data (`seed_demo`: users, clients, inquiries with a sent proposal, conversations,
check-ins, notifications, outbox emails, received mail with HTML) plus what the demo lacks: a
received email with an attachment, a mail import failure, a scope item, signed feedback and
unsubscribe links, a filtered contact form post with a file and a self-service link.
`World.kwargs[url_name]` gives the real path arguments of every named URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agency_crm.outbox.models import OutboundEmail
from agency_crm.team.invitations import invitation_send
from agency_crm.team.links import invitation_url
from agency_crm.team.twofactor import twofactor_start
from agency_crm.webhooks.services import endpoint_create, endpoint_ping
from clients.models import Client, Note
from followups.answers.services import saved_reply_create
from followups.care.links import feedback_url, unsubscribe_url
from followups.care.models import Checkin, FeedbackRequest
from followups.conversations.models import Conversation, InternalNote, Message
from followups.growth.models import GrowthItem
from followups.knowledge.services import article_create
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import InboundAttachment, InboundEmail, MailImportFailure, MailSource
from followups.portal.links import portal_token
from followups.reminders.models import Notification
from followups.todo.models import Task
from followups.webform.services import submission_receive
from inquiries.models import Proposal, ScopeItem

# The demo manager (agency_crm/management/commands/seed_demo.py).
MANAGER_USERNAME = "manager"
MANAGER_PASSWORD = "gonggam-manager"


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "" for an unnamed pattern
    pattern: str  # e.g. "clients/<int:pk>/"


@dataclass
class World:
    manager: object
    kwargs: dict[str, dict] = field(default_factory=dict)

    def path(self, name: str) -> str:
        from django.urls import reverse

        return reverse(name, kwargs=self.kwargs.get(name, {}))


def routes(*, admin: bool = False) -> list[Route]:
    """Every URL pattern of the URLconf (the admin's only with admin=True), by name."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                found.append(Route(name=name, pattern=prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return [route for route in found if admin or not route.pattern.startswith("admin/")]


def _email_with_attachment() -> bytes:
    message = EmailMessage()
    message["From"] = "Kim Haneul <haneul@hanbit-logistics.example>"
    message["To"] = "crm@localhost"
    message["Subject"] = "Invoice scan attached"
    message["Message-ID"] = "<world-attachment@hanbit-logistics.example>"
    message.set_content("Please see the scan attached.")
    message.add_alternative(
        "<p>Please see the <b>scan</b> attached.</p><p><a href='https://hanbit-logistics.example/'>our site</a></p>"
        "<img src='cid:logo@hanbit-logistics.example' alt='logo'>",
        subtype="html",
    )
    message.add_attachment(b"%PDF-1.4 scan", maintype="application", subtype="pdf", filename="scan.pdf")
    return message.as_bytes()


def _api_token(user):
    from agency_crm.api.tokens import personal_token_create

    token, _secret = personal_token_create(user=user, name="world", scopes=["users:read"])
    return token


def build_world() -> World:
    """Seed the world (MEDIA_ROOT should point at a temporary folder) and return its ids."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    User = get_user_model()
    manager = User.objects.get(username=MANAGER_USERNAME)
    staff = User.objects.get(username="minji")

    mail_ingest(raw=_email_with_attachment(), source=MailSource.IMAP)
    raw = b"From: nobody\r\nSubject: broken\r\n\r\nnot importable"
    MailImportFailure.objects.get_or_create(
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        defaults={
            "source": MailSource.IMAP,
            "raw": ContentFile(raw, name="broken.eml"),
            "raw_size": len(raw),
            "summary": "nobody — broken",
            "error": "could not import (test world)",
        },
    )

    saved = saved_reply_create(actor=manager, values={"title": "Thanks", "body_en": "Thanks {contact_name}"})
    article = article_create(actor=manager, values={"title": "Hosting", "body": "AWS **Seoul**", "tags": "aws"})
    submission = submission_receive(
        data={"name": "Spam <b>Bot</b>", "email": "bot@spam.example", "message": "Buy now", "consent": True},
        files=[SimpleUploadedFile("offer.txt", b"offer")],
        language="en",
        filter_reason="honeypot",
    )

    client = Client.objects.filter(contacts__isnull=False, archived_at__isnull=True).order_by("pk").first()
    contact = client.contacts.order_by("pk").first()
    proposal = Proposal.objects.select_related("inquiry").order_by("pk").first()
    inquiry = proposal.inquiry
    item = ScopeItem.objects.filter(inquiry=inquiry).order_by("pk").first()
    if item is None:
        item = ScopeItem.objects.create(
            inquiry=inquiry, title="Login page", priority=ScopeItem.Priority.MUST, optimistic_hours=1,
            likely_hours=2, pessimistic_hours=4,
        )  # fmt: skip
    conversation = Conversation.objects.filter(messages__isnull=False).order_by("pk").first()
    message = Message.objects.filter(conversation=conversation).order_by("pk").first()
    checkin = Checkin.objects.order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    growth_item = GrowthItem.objects.order_by("pk").first()
    feedback = FeedbackRequest.objects.order_by("pk").first()
    notification = Notification.objects.filter(recipient=manager).order_by("pk").first()
    if notification is None:
        notification = Notification.objects.create(recipient=manager, kind="test", title="Hello", url="/inbox/")
    html_mail = InboundEmail.objects.exclude(html_body="").order_by("pk").first()
    attachment = InboundAttachment.objects.exclude(file="").order_by("pk").first()
    failure = MailImportFailure.objects.order_by("pk").first()
    outbound = OutboundEmail.objects.exclude(html_body="").order_by("pk").first()
    last_monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)
    missing = [
        name
        for name, value in {
            "client": client, "contact": contact, "proposal": proposal, "conversation": conversation,
            "message": message, "checkin": checkin, "task": task, "feedback": feedback, "html_mail": html_mail,
            "attachment": attachment, "outbound": outbound,
            "growth_item": growth_item,
        }.items()
        if value is None
    ]  # fmt: skip
    assert not missing, f"the demo data no longer has: {missing}"

    note_pk = Note.objects.filter(client=client).values_list("pk", flat=True).first() or 1
    internal_note_pk = InternalNote.objects.values_list("pk", flat=True).first() or 1

    def last_path_part(url: str) -> str:
        return url.rstrip("/").rsplit("/", 1)[-1]

    # The team: an open invitation, and an authenticator waiting to be set up by the manager (so
    # the set-up page with its QR code is walked too).
    invitation = invitation_send(email="dana@agency.example", role="staff", language="ko", actor=manager)
    twofactor_start(user=manager)

    # Outgoing webhooks: an endpoint (a public address, saved without a DNS lookup) and a ping.
    endpoint, _secret = endpoint_create(actor=manager, url="https://93.184.216.34/hooks", events=["client.created"])
    webhook_delivery = endpoint_ping(endpoint=endpoint).deliveries.get()

    kwargs = {
        "team:accept": {"token": last_path_part(invitation_url(invitation))},
        "team:invitation_resend": {"pk": invitation.pk},
        "webhooks:delivery": {"pk": endpoint.pk, "delivery_pk": webhook_delivery.pk},
        "webhooks:redeliver": {"pk": endpoint.pk, "delivery_pk": webhook_delivery.pk},
        "team:invitation_cancel": {"pk": invitation.pk},
        "team:role": {"user_pk": staff.pk},
        "team:deactivate": {"user_pk": staff.pk},
        "team:twofactor_reset": {"user_pk": staff.pk},
        "outbox_detail": {"email_id": outbound.pk},
        "outbox_retry": {"email_id": outbound.pk},
        "outbox_html": {"email_id": outbound.pk},
        "password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(manager.pk)),
            "token": default_token_generator.make_token(manager),
        },
        "clients:staff_offboard": {"user_pk": staff.pk},
        "clients:contact_edit": {"pk": client.pk, "contact_pk": contact.pk},
        "clients:contact_links_revoke": {"pk": client.pk, "contact_pk": contact.pk},
        "clients:note_edit": {"pk": client.pk, "note_pk": note_pk},
        "clients:note_delete": {"pk": client.pk, "note_pk": note_pk},
        "followups:internal_note_edit": {"pk": internal_note_pk},
        "followups:internal_note_delete": {"pk": internal_note_pk},
        "followups:contact_email": {"pk": contact.pk},
        "followups:portal_link_send": {"pk": contact.pk},
        "board:move": {"pk": inquiry.pk},
        "inquiries:item_edit": {"pk": inquiry.pk, "item_id": item.pk},
        "inquiries:item_delete": {"pk": inquiry.pk, "item_id": item.pk},
        "inquiries:item_move": {"pk": inquiry.pk, "item_id": item.pk},
        "inquiries:proposal": {"pk": inquiry.pk, "number": proposal.number},
        "inquiries:public_proposal": {"token": proposal.link_token},
        "inquiries:public_proposal_accept": {"token": proposal.link_token},
        "followups:message_time": {"pk": message.pk},
        "followups:log_to_new_conversation": {"pk": message.pk},
        "followups:message_move_out": {"pk": message.pk},
        "followups:feedback": {"token": last_path_part(feedback_url(feedback))},
        "followups:unsubscribe": {"token": last_path_part(unsubscribe_url(contact))},
        "followups:weekly_review_week": {"week": last_monday.isoformat()},
        "followups:notification_open": {"pk": notification.pk},
        "followups:mail_detail": {"pk": html_mail.pk},
        "followups:mail_html": {"pk": html_mail.pk},
        "followups:mail_attachment": {"pk": attachment.pk},
        "followups:mail_failure_download": {"pk": failure.pk},
        "followups:mail_failure_retry": {"pk": failure.pk},
        "followups:contact_filtered_release": {"pk": submission.pk},
        "followups:contact_attachment": {"pk": submission.attachments.get().pk},
        "followups:portal_home": {"token": portal_token(contact)},
        "followups:reply_edit": {"pk": saved.pk},
        "followups:reply_delete": {"pk": saved.pk},
        "followups:portal_write": {"token": portal_token(contact)},
        "followups:portal_reply": {"token": portal_token(contact), "pk": conversation.pk},
        "followups:kakao_inbound": {"secret": "not-the-secret"},
        "followups:kakao_template_delete": {"pk": 1},
        "followups:kakao_attachment": {"pk": 1},
        "api:contact": {"pk": contact.pk},
        "api:checkin": {"pk": checkin.pk},
        "api:feedback": {"pk": feedback.pk},
        "api:saved_reply": {"pk": saved.pk},
        "api:article": {"pk": article.pk},
        "api:user": {"pk": manager.pk},
        "api_tokens:revoke": {"public_id": _api_token(manager).public_id},
    }
    by_prefix = {
        "clients:": {"pk": client.pk},
        "inquiries:": {"pk": inquiry.pk},
        "followups:checkin_": {"pk": checkin.pk},
        "followups:task_": {"pk": task.pk},
        "followups:growth_item_": {"pk": growth_item.pk},
        "followups:article": {"pk": article.pk},
        "webhooks:": {"pk": endpoint.pk},
        "api:client": {"pk": client.pk},
        "api:inquir": {"pk": inquiry.pk},
        "api:conversation": {"pk": conversation.pk},
    }
    for route in routes():
        if route.name in kwargs or "<" not in route.pattern:
            continue
        if route.pattern.startswith("conversations/<int:pk>/"):
            kwargs[route.name] = {"pk": conversation.pk}
            continue
        for prefix, values in by_prefix.items():
            if route.name.startswith(prefix):
                kwargs[route.name] = values
                break
    return World(manager=manager, kwargs=kwargs)
