"""The one world the permission matrix (test_permission_matrix.py) visits: five personas and one
real object behind every URL, made through the services where they exist.

Personas: `staff` (a colleague who is neither owner nor backup of anything here), `owner` (the
client's account owner and the owner of its inquiry, conversation and check-in), `backup` (the
client's backup owner) and `manager`; anonymous visitors have no user.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from types import SimpleNamespace
from urllib.parse import urlsplit

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agency_crm.api.tokens import personal_token_create
from agency_crm.outbox import OutboundEmail
from agency_crm.roles import ensure_role_groups
from agency_crm.team.invitations import invitation_send
from agency_crm.team.links import invitation_url
from agency_crm.webhooks import services as webhook_services
from clients.models import Tag
from clients.services import client_create, contact_create, note_add
from followups.answers.services import saved_reply_create
from followups.care.dates import local_today
from followups.care.links import feedback_url, unsubscribe_url
from followups.conversations.services import conversation_set_tags, conversation_start, message_receive
from followups.conversations.services import note_add as internal_note_add
from followups.dashboard.weekly_review import week_start_of
from followups.growth.models import GrowthItem
from followups.knowledge.services import article_create
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailImportFailure, MailSource, UnknownSender
from followups.models import (
    Checkin,
    ClosureDay,
    Reminder,
    ResponseWait,
    ensure_default_checkin_plans,
    ensure_default_policies,
)
from followups.portal.links import portal_token
from followups.reminders.services import notify
from followups.todo.services import task_create
from followups.webform.services import submission_receive
from inquiries import services as inquiry_services
from inquiries.models import DiscoveryQuestion
from tests.agency_crm.factories import OutboundEmailFactory
from tests.factories import ManagerFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory


def _path(url: str) -> str:
    return urlsplit(url).path


def _token(path: str) -> str:
    """The signed token of /p/<token>/, /feedback/<token>/ or /unsubscribe/<token>/."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _inbound(*, sender: str, subject: str, attachment: bool = False) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "crm@localhost"
    message["Subject"] = subject
    message["Message-ID"] = f"<{subject.replace(' ', '-')}@customer.example>"
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0900"
    message.set_content("Hello, the login page shows an error.")
    message.add_alternative("<p>Hello, the <b>login page</b> shows an error.</p>", subtype="html")
    if attachment:
        message.add_attachment(b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="invoice.pdf")
    return message


def build_world() -> SimpleNamespace:
    ensure_role_groups()
    ensure_default_policies()
    ensure_default_checkin_plans()
    w = SimpleNamespace()
    w.staff = UserFactory(username="staff", first_name="Junho", last_name="Lee")
    w.owner = UserFactory(username="owner", first_name="Minji", last_name="Park")
    w.backup = UserFactory(username="backup", first_name="Hana", last_name="Choi")
    w.manager = ManagerFactory(username="boss", first_name="Seoyeon", last_name="Kim")
    w.leaver = UserFactory(username="leaver")  # the colleague on the offboarding page
    w.resetter = UserFactory(username="resetter")  # whose password-reset link is opened

    # A client owned by `owner` with backup `backup`, its contact, a note and a tag.
    w.client = client_create(
        actor=w.owner, name="Blue Harbor", account_owner=w.owner, backup_owner=w.backup, status="active"
    )
    w.contact = contact_create(client=w.client, actor=w.owner, name="Emma", email="emma@customer.example")
    w.note = note_add(client=w.client, author=w.owner, body="Prefers calls", kind="note")
    w.client.tags.add(Tag.objects.create(name="web"))

    # An inquiry with a Must item and a discovery question, and a sent proposal (a real link).
    w.question = DiscoveryQuestion.objects.create(text="Who uses it?", position=1)
    w.inquiry = inquiry_services.inquiry_create(
        actor=w.owner,
        details={"title": "Booking app", "source": "email", "problem": "Paper bookings", "owner": w.owner},
        client=w.client,
        contact=w.contact,
    )
    w.item = inquiry_services.scope_item_add(
        inquiry=w.inquiry,
        actor=w.owner,
        fields={
            "title": "Calendar",
            "priority": "must",
            "optimistic_hours": 4,
            "likely_hours": 6,
            "pessimistic_hours": 10,
        },
    )
    w.proposal = inquiry_services.proposal_send(inquiry=w.inquiry, actor=w.owner)
    w.proposal_token = _token(w.proposal.get_public_url())

    # A conversation waiting on us, with a topic; a reminder and a notification for its owner.
    w.conversation = conversation_start(
        client=w.client, contact=w.contact, subject="Menu update", channel="email", actor=w.owner
    )
    w.message = message_receive(conversation=w.conversation, body="When is it live?", channel="email")
    conversation_set_tags(conversation=w.conversation, tags=["menu"])
    w.internal_note = internal_note_add(conversation=w.conversation, author=w.owner, body="Ask about the menu")
    wait = ResponseWait.objects.get(conversation=w.conversation)
    Reminder.objects.create(wait=wait, message=w.message, level=1, level_at=timezone.now())
    (w.notification,) = notify(recipients=[w.owner], kind="test", title="Look at this", conversation=w.conversation)

    # A due check-in of the owner's, and a feedback request with its signed link.
    w.checkin = CheckinFactory(client=w.client, contact=w.contact, due_on=local_today(), status=Checkin.Status.DUE)
    # A task of the owner's on the inquiry.
    w.task = task_create(attached_to=w.inquiry, title="Call Emma", due_on=local_today(), actor=w.owner)
    # A want the proposal deferred, kept on the client to raise at the check-in.
    w.growth_item = GrowthItem.objects.create(
        client=w.client, inquiry=w.inquiry, source_item_id=w.item.pk + 1000, title="Loyalty card", priority="could",
        phase="later", reason=GrowthItem.Reason.NOT_CHOSEN, optimistic_hours=2, likely_hours=3, pessimistic_hours=5,
        hourly_rate=100000, currency="KRW", cost_expected=316667, delivered_on=local_today(),
    )  # fmt: skip
    w.feedback = FeedbackRequestFactory(client=w.client, contact=w.contact, conversation=w.conversation)
    w.feedback_token = _token(_path(feedback_url(w.feedback)))
    w.unsubscribe_token = _token(_path(unsubscribe_url(w.contact)))
    ClosureDay.objects.create(date=dt.date(2030, 12, 31), reason="Year end")
    w.last_week = week_start_of(local_today()) - dt.timedelta(days=7)

    # The outbox: a failed email to the customer, and the managers' internal weekly review.
    w.customer_email = OutboundEmailFactory(
        client=w.client, to=[w.contact.email], status=OutboundEmail.Status.FAILED, last_error="550"
    )
    w.internal_email = OutboundEmailFactory(
        client=None, kind=OutboundEmail.Kind.WEEKLY_REVIEW, to=[w.manager.email], status=OutboundEmail.Status.FAILED
    )

    # Received mail: the customer's email with an attachment, an unknown sender waiting for
    # triage, and an email that could not be imported.
    result = mail_ingest(
        raw=_inbound(sender="emma@customer.example", subject="Invoice", attachment=True).as_bytes(),
        source=MailSource.IMAP,
    )
    w.inbound = result.email
    w.attachment = w.inbound.attachments.get()
    stranger = mail_ingest(raw=_inbound(sender="new@stranger.example", subject="Hello").as_bytes(), source="imap")
    w.triage_conversation = UnknownSender.objects.get(conversation=stranger.email.conversation).conversation
    w.failure = MailImportFailure.objects.create(
        source=MailSource.IMAP, raw_sha256="0" * 64, raw=ContentFile(b"not an email", name="broken.eml"), error="x"
    )

    # The contact form: a filtered post with a file; the self-service page's link for the contact.
    w.web_submission = submission_receive(
        data={"name": "Spam Bot", "email": "bot@spam.example", "message": "Buy now", "consent": True},
        files=[SimpleUploadedFile("offer.txt", b"offer")],
        language="en",
        filter_reason="honeypot",
    )
    w.web_attachment = w.web_submission.attachments.get()
    w.portal_token = portal_token(w.contact)
    # A shared saved reply of the owner's (everyone uses it; its author or a manager changes it).
    w.saved_reply = saved_reply_create(actor=w.owner, values={"title": "Thanks", "body_en": "Thanks {contact_name}"})
    # A knowledge base article of the owner's about the client (everyone edits it; its writer or a
    # manager archives it).
    w.article = article_create(
        actor=w.owner, values={"title": "Hosting", "body": "AWS **Seoul**", "tags": "aws"}, clients=[w.client]
    )

    # Outgoing webhooks: an endpoint (a public address: saved without a DNS lookup) with a
    # delivered ping in its log.
    w.webhook_endpoint, _secret = webhook_services.endpoint_create(
        actor=w.manager, url="https://93.184.216.34/hooks", events=["client.created"]
    )
    event = webhook_services.endpoint_ping(endpoint=w.webhook_endpoint)
    w.webhook_delivery = event.deliveries.get()
    w.webhook_delivery.status = "delivered"
    w.webhook_delivery.save(update_fields=["status"])

    # Rows for the admin's object pages that nothing above creates.
    for model in (AccessLog, AccessFailureLog):
        model.objects.create(
            user_agent="test", ip_address="127.0.0.1", username="owner", http_accept="*/*", path_info="/accounts/login/"
        )
    AccessAttempt.objects.create(
        user_agent="test",
        ip_address="127.0.0.1",
        username="owner",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    SolarSchedule.objects.create(event="sunrise", latitude=37.56, longitude=126.97)
    CrontabSchedule.objects.get_or_create(minute="0", hour="8")
    IntervalSchedule.objects.get_or_create(every=1, period="minutes")

    PeriodicTask.objects.get_or_create(
        name="matrix-test",
        defaults={"task": "agency_crm.tasks.worker_heartbeat", "interval": IntervalSchedule.objects.first()},
    )
    w.conversation_content_type = ContentType.objects.get_for_model(w.conversation).pk
    w.reset_uid = urlsafe_base64_encode(force_bytes(w.resetter.pk))
    w.reset_token = default_token_generator.make_token(w.resetter)
    # An open invitation with its real link, and the leaver's authenticator and recovery codes.
    w.invitation = invitation_send(email="dana@agency.example", role="staff", language="en", actor=w.manager)
    w.invitation_token = _token(_path(invitation_url(w.invitation)))
    # A personal access token of the owner's (the tokens page: theirs and the managers' to revoke).
    w.api_token, _secret = personal_token_create(user=w.owner, name="Website", scopes=["clients:read"])
    TOTPDevice.objects.create(user=w.leaver, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=w.leaver, name="recovery codes", confirmed=True)
    return w
