"""Post-sale care actions: schedule and handle check-ins, ask for and record feedback, unsubscribe,
and send the weekly review. Keyword-only, transaction-safe services (see DESIGN.md).

Periodic work (followups.tasks_care) calls `care_run_daily` and `weekly_review_send`; both are
idempotent: every "do this once" is a conditional update on the row (status or timestamp) backed
by a unique constraint, so two concurrent runs send each email exactly once.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.people import display_name
from agency_crm.roles import MANAGER_GROUP
from clients.models import Client, Contact
from clients.timeline import timeline_record
from inquiries.models import Inquiry

from .business_calendar import Calendar, is_open, load_calendar, next_opening
from .mailin.threading import reply_threading
from .models import (
    Channel,
    Checkin,
    CheckinChannel,
    CheckinPlan,
    CheckinSchedule,
    Conversation,
    FeedbackRequest,
    Message,
    Rating,
    Sentiment,
    WeeklyReview,
)
from .selectors_care import next_business_day, overdue_from, weekly_review
from .services.clock import conversation_recompute_clock

logger = logging.getLogger(__name__)

FEEDBACK_SALT = "followups.feedback"
UNSUBSCRIBE_SALT = "followups.unsubscribe"
# Only closed conversations this recent are asked for feedback (not the whole history at once).
FEEDBACK_PICKUP_DAYS = 14
# Delivered inquiries older than this are not picked up (a plan started now would be meaningless).
DELIVERY_PICKUP_DAYS = 90


# A conversation counts as asked for feedback when it had its own request (closed conversation)
# or a check-in email; the link in an email signature does not replace the question.
ASKED_SOURCES = (FeedbackRequest.Source.CONVERSATION, FeedbackRequest.Source.CHECKIN)


class FeedbackLinkInvalid(Exception):
    """The feedback link was tampered with, expired, or names no request."""


class FeedbackClosed(Exception):
    """The request was already answered and the window to change the answer has passed."""


# --- dates ------------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def checkin_due_dates(*, plan: CheckinPlan, started_on: dt.date, calendar: Calendar, count: int = 1) -> list:
    """(sequence, due date) of a plan's check-ins; repeating plans give their first `count`."""
    if plan.repeat_every_months:
        raw = [(n, add_months(started_on, plan.repeat_every_months * n)) for n in range(1, count + 1)]
    else:
        raw = [(n, started_on + dt.timedelta(days=days)) for n, days in enumerate(plan.offsets_days, start=1)]
    return [(n, next_business_day(day, calendar)) for n, day in raw]


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


# --- notifications ----------------------------------------------------------------------------
def _notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", conversation=None) -> None:
    """In-app notification (and email) through the reminders feature's notify()."""
    from .services_reminders import notify

    recipients = [user for user in recipients if user is not None and user.is_active]
    if recipients:
        notify(recipients=recipients, kind=kind, title=title, body=body, url=url, conversation=conversation)


def _managers():
    return list(get_user_model().objects.filter(is_active=True, groups__name=MANAGER_GROUP).distinct())


# --- scheduling -------------------------------------------------------------------------------
def _default_contact(client: Client, preferred: Contact | None = None) -> Contact | None:
    if preferred is not None and preferred.client_id == client.pk:
        return preferred
    contacts = list(client.contacts.order_by("id"))
    return next((c for c in contacts if c.email), contacts[0] if contacts else None)


def checkin_plan_start(
    *,
    plan: CheckinPlan,
    client: Client,
    started_on: dt.date,
    actor=None,
    inquiry: Inquiry | None = None,
    contact: Contact | None = None,
    calendar: Calendar | None = None,
) -> CheckinSchedule:
    """Start `plan` for `client` from `started_on` and schedule its check-ins (idempotent).

    Due dates falling on a weekend, holiday or closure day move to the next business day. The
    account owner owns every check-in; the contact is the inquiry's, else the client's first one
    with an email address.
    """
    calendar = calendar or load_calendar()
    lookup = (
        {"inquiry": inquiry, "plan": plan}
        if inquiry
        else {"client": client, "plan": plan, "started_on": started_on, "inquiry__isnull": True}
    )
    with transaction.atomic():
        existing = CheckinSchedule.objects.filter(**lookup).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                schedule = CheckinSchedule.objects.create(
                    plan=plan, client=client, inquiry=inquiry, started_on=started_on, started_by=actor
                )
        except IntegrityError:
            # A concurrent run (or a double click) created it first.
            return CheckinSchedule.objects.get(**lookup)
        contact = _default_contact(client, contact or (inquiry.contact if inquiry else None))
        dates = checkin_due_dates(plan=plan, started_on=started_on, calendar=calendar)
        Checkin.objects.bulk_create(
            [
                Checkin(
                    schedule=schedule,
                    sequence=sequence,
                    client=client,
                    contact=contact,
                    owner=client.account_owner,
                    channel=plan.channel,
                    due_on=due_on,
                )
                for sequence, due_on in dates
            ]
        )
        timeline_record(
            client=client,
            kind="checkin.scheduled",
            summary=ngettext(
                "Check-in plan %(plan)s started: %(count)d check-in from %(first)s",
                "Check-in plan %(plan)s started: %(count)d check-ins from %(first)s",
                len(dates),
            )
            % {"plan": plan.name, "count": len(dates), "first": dates[0][1].isoformat() if dates else "-"},
            actor=actor,
            url=reverse("followups:checkins"),
            data={"schedule_id": schedule.pk, "plan_id": plan.pk, "inquiry_id": inquiry.pk if inquiry else None},
        )
    return schedule


def checkins_pick_up_deliveries(*, today: dt.date, calendar: Calendar) -> int:
    """Start the after-delivery plan for every recently delivered inquiry without one."""
    plan = CheckinPlan.objects.filter(kind=CheckinPlan.Kind.AFTER_DELIVERY, active=True).first()
    if plan is None:
        return 0
    inquiries = (
        Inquiry.objects.filter(
            status=Inquiry.Status.WON,
            delivered_on__isnull=False,
            delivered_on__gte=today - dt.timedelta(days=DELIVERY_PICKUP_DAYS),
        )
        .filter(~Exists(CheckinSchedule.objects.filter(inquiry=OuterRef("pk"), plan=plan)))
        .select_related("client__account_owner", "contact")
    )
    started = 0
    for inquiry in inquiries:
        try:
            checkin_plan_start(
                plan=plan, client=inquiry.client, started_on=inquiry.delivered_on, inquiry=inquiry, calendar=calendar
            )
        except Exception:
            # One broken row must not stop the run (due check-ins come after this).
            logger.exception("care: could not start check-ins for inquiry %s", inquiry.pk)
            continue
        started += 1
    return started


def checkins_extend_maintenance(*, today: dt.date, calendar: Calendar) -> int:
    """Keep one upcoming check-in scheduled for every client on a maintenance contract.

    Starts the maintenance plan for maintenance clients without one, adds the next check-in once
    the previous one has been handled, and stops (skipping what is left) when the contract ends.
    """
    plan = CheckinPlan.objects.filter(kind=CheckinPlan.Kind.MAINTENANCE, active=True).first()
    if plan is None or not plan.repeat_every_months:
        return 0
    changed = 0
    running = CheckinSchedule.objects.filter(plan=plan, stopped_at__isnull=True)
    for client in (
        Client.objects.active().filter(status=Client.Status.MAINTENANCE).exclude(pk__in=running.values("client_id"))
    ):
        checkin_plan_start(plan=plan, client=client, started_on=today, calendar=calendar)
        changed += 1
    for schedule in running.select_related("client"):
        with transaction.atomic():
            schedule = CheckinSchedule.objects.select_for_update(skip_locked=True).filter(pk=schedule.pk).first()
            if schedule is None or schedule.stopped_at is not None:
                continue
            client = Client.objects.get(pk=schedule.client_id)
            if client.status != Client.Status.MAINTENANCE or client.is_archived:
                schedule.stopped_at = timezone.now()
                schedule.save(update_fields=["stopped_at"])
                schedule.checkins.filter(status=Checkin.Status.SCHEDULED).update(
                    status=Checkin.Status.SKIPPED, skip_reason=_("The maintenance contract ended.")
                )
                changed += 1
                continue
            last = schedule.checkins.order_by("-sequence").first()
            if last is not None and last.status == Checkin.Status.SCHEDULED:
                continue
            sequence = (last.sequence if last else 0) + 1
            due_on = next_business_day(add_months(schedule.started_on, plan.repeat_every_months * sequence), calendar)
            Checkin.objects.create(
                schedule=schedule,
                sequence=sequence,
                client=client,
                contact=last.contact if last else _default_contact(client),
                owner=client.account_owner,
                channel=plan.channel,
                due_on=due_on,
            )
            changed += 1
    return changed


# --- handling due check-ins ---------------------------------------------------------------------
def _subject_of(checkin: Checkin) -> str:
    inquiry = checkin.schedule.inquiry
    if inquiry is not None:
        return _("How is %(title)s working for you?") % {"title": inquiry.title}
    return _("How is everything going, %(client)s?") % {"client": checkin.client.name}


def _checkin_body(checkin: Checkin) -> str:
    schedule = checkin.schedule
    contact = checkin.contact
    greeting = _("Hello %(name)s,") % {"name": contact.name} if contact else _("Hello,")
    if schedule.inquiry is not None:
        days = (checkin.due_on - schedule.started_on).days
        if days <= 10:
            when = _("about a week")
        elif days <= 45:
            when = _("about a month")
        else:
            when = ngettext("%(months)d month", "%(months)d months", days // 30) % {"months": days // 30}
        opening = _(
            "It has been %(when)s since we delivered %(title)s. Is everything working the way you expected?"
        ) % {"when": when, "title": schedule.inquiry.title}
    else:
        opening = _("It is time for our regular check-in. Is everything working the way you expected?")
    return "\n\n".join(
        [
            greeting,
            opening,
            _("If anything bothers you, even a small thing, just reply to this email: it comes straight to me."),
            display_name(checkin.owner),
        ]
    )


def feedback_url(feedback: FeedbackRequest) -> str:
    signed = signing.dumps(feedback.token, salt=FEEDBACK_SALT)
    return settings.SITE_URL + reverse("followups:feedback", args=[signed])


def feedback_signature_url(*, client: Client, to: list[str], related: dict, language: str) -> str:
    """The feedback link beside the management line of a customer email (replies,
    acknowledgements, proposals): the agency.outbox signature provider, registered in
    FollowupsConfig.ready() and called inside the sender's transaction.

    The link belongs to the email's conversation when it has one (the rating then counts for
    that conversation's owner and channel), else to the client and the addressed contact. The
    newest unanswered signature request is reused, so a long thread does not pile up requests;
    once it is answered, the next email brings a fresh one.
    """
    conversation = None
    conversation_id = related.get("conversation_id")
    if conversation_id:
        conversation = Conversation.objects.filter(pk=conversation_id, client=client).first()
    addresses = {address.strip().lower() for address in to}
    contact = None
    if conversation is not None and conversation.contact_id:
        contact = conversation.contact
    else:
        contacts = Contact.objects.filter(client=client).exclude(email="").order_by("pk")
        contact = next((c for c in contacts if c.email.strip().lower() in addresses), None)
    feedback = (
        FeedbackRequest.objects.filter(
            source=FeedbackRequest.Source.SIGNATURE,
            client=client,
            contact=contact,
            conversation=conversation,
            rating="",
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if feedback is None:
        feedback = FeedbackRequest.objects.create(
            source=FeedbackRequest.Source.SIGNATURE,
            client=client,
            contact=contact,
            conversation=conversation,
            owner=conversation.owner if conversation else client.account_owner,
            channel=conversation.channel if conversation else Channel.EMAIL,
            language=contact.preferred_language if contact else language,
        )
    return feedback_url(feedback)


def unsubscribe_url(contact: Contact) -> str:
    signed = signing.dumps(contact.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("followups:unsubscribe", args=[signed])


def _send_checkin_email(checkin: Checkin, now: dt.datetime) -> None:
    contact = checkin.contact
    language = contact.preferred_language
    with translation.override(language):
        subject = _subject_of(checkin)
        body = _checkin_body(checkin)
    # A conversation of its own, so the customer's reply threads into it (the outbox row's
    # Message-ID and related conversation_id are what the inbound mail ingestion matches).
    conversation = Conversation.objects.create(
        client=checkin.client,
        contact=contact,
        subject=subject[:200],
        channel=Channel.EMAIL,
        owner=checkin.owner,
    )
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.FROM_US,
        channel=Channel.EMAIL,
        author_user=checkin.owner,
        body=body,
        occurred_at=now,
    )
    conversation_recompute_clock(conversation=conversation)
    feedback = FeedbackRequest.objects.create(
        source=FeedbackRequest.Source.CHECKIN,
        client=checkin.client,
        contact=contact,
        conversation=conversation,
        checkin=checkin,
        owner=checkin.owner,
        channel=Channel.EMAIL,
        language=language,
    )
    # The reply token (subject and plus-address Reply-To) and References of the email issue's
    # threading make the customer's answer land in this conversation.
    threading = reply_threading(conversation=conversation, subject=subject)
    outbox_enqueue(
        to=[contact.email],
        **threading,
        template="care_checkin",
        context={"body": body, "feedback_url": feedback_url(feedback), "unsubscribe_url": unsubscribe_url(contact)},
        language=language,
        kind=OutboundEmail.Kind.CHECKIN,
        client=checkin.client,
        unsubscribe_url=unsubscribe_url(contact),
        related={"conversation_id": conversation.pk, "message_id": message.pk, "checkin_id": checkin.pk},
    )
    Checkin.objects.filter(pk=checkin.pk).update(conversation=conversation)
    timeline_record(
        client=checkin.client,
        kind="checkin.emailed",
        summary=_("Check-in email sent to %(name)s: %(subject)s") % {"name": contact.name, "subject": subject},
        occurred_at=now,
        body=body,
        url=conversation.get_absolute_url(),
        data={"checkin_id": checkin.pk, "conversation_id": conversation.pk, "feedback_request_id": feedback.pk},
    )


def _emailable(contact: Contact | None) -> bool:
    if contact is None or not contact.email:
        return False
    try:
        validate_email(contact.email)
    except ValidationError:
        return False
    return True


def checkin_handle_due(*, checkin_id: int, now: dt.datetime) -> str:
    """Handle one due check-in once: email the customer, or tell the owner to call or visit.

    Returns "emailed", "call_task" (the contact opted out or has no email address), "notified"
    (a call or visit is due) or "skipped" when another run handled it already. The conditional
    update scheduled -> due is the claim: of two concurrent runs, only one handles the row.
    """
    with transaction.atomic():
        claimed = Checkin.objects.filter(pk=checkin_id, status=Checkin.Status.SCHEDULED).update(
            status=Checkin.Status.DUE, handled_at=now
        )
        if not claimed:
            return "skipped"
        checkin = Checkin.objects.select_related(
            "client", "contact", "owner", "schedule__plan", "schedule__inquiry"
        ).get(pk=checkin_id)
        contact = checkin.contact
        if checkin.channel == CheckinChannel.EMAIL:
            if _emailable(contact) and contact.accepts_checkins:
                _send_checkin_email(checkin, now)
                return "emailed"
            # Never email a contact who opted out: the owner calls instead.
            Checkin.objects.filter(pk=checkin.pk).update(channel=CheckinChannel.CALL, converted_from_email=True)
            reason = (
                _("%(name)s does not want check-in emails; please call instead.") % {"name": contact.name}
                if contact is not None and not contact.accepts_checkins
                else _("There is no email address for this client; please call instead.")
            )
            _notify(
                recipients=[checkin.owner],
                kind="checkin.call_task",
                title=_("Call %(client)s for a check-in") % {"client": checkin.client.name},
                body=reason,
                url=reverse("followups:checkins"),
            )
            timeline_record(
                client=checkin.client,
                kind="checkin.call_task",
                summary=_("Check-in due: call instead of email (%(reason)s)") % {"reason": reason},
                occurred_at=now,
                url=reverse("followups:checkins"),
                data={"checkin_id": checkin.pk},
            )
            return "call_task"
        _notify(
            recipients=[checkin.owner],
            kind="checkin.due",
            title=_("%(channel)s check-in due with %(client)s")
            % {"channel": checkin.get_channel_display(), "client": checkin.client.name},
            body=_("Due on %(date)s.") % {"date": checkin.due_on.isoformat()},
            url=reverse("followups:checkins"),
        )
        timeline_record(
            client=checkin.client,
            kind="checkin.due",
            summary=_("%(channel)s check-in due") % {"channel": checkin.get_channel_display()},
            occurred_at=now,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
        return "notified"


def checkin_remind_overdue(*, checkin_id: int, now: dt.datetime) -> bool:
    """Remind the owner once that a handled check-in has no outcome yet (due -> overdue)."""
    with transaction.atomic():
        if not Checkin.objects.filter(pk=checkin_id, status=Checkin.Status.DUE).update(
            status=Checkin.Status.OVERDUE, reminded_at=now
        ):
            return False
        checkin = Checkin.objects.select_related("client", "owner").get(pk=checkin_id)
        _notify(
            recipients=[checkin.owner],
            kind="checkin.overdue",
            title=_("Overdue check-in with %(client)s") % {"client": checkin.client.name},
            body=_("It was due on %(date)s; record how it went on the check-ins page.")
            % {"date": checkin.due_on.isoformat()},
            url=reverse("followups:checkins"),
        )
        timeline_record(
            client=checkin.client,
            kind="checkin.overdue",
            summary=_("Check-in overdue (due %(date)s)") % {"date": checkin.due_on.isoformat()},
            occurred_at=now,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
    return True


def care_run_daily(*, now: dt.datetime | None = None) -> dict:
    """The periodic care run (safe to run concurrently and repeatedly)."""
    now = now or timezone.now()
    calendar = load_calendar()
    today = local_today(now)
    result = {
        "plans_started": checkins_pick_up_deliveries(today=today, calendar=calendar),
        "maintenance": checkins_extend_maintenance(today=today, calendar=calendar),
        "handled": 0,
        "overdue": 0,
        "feedback_requests": 0,
    }
    if not is_open(now, calendar):
        # Customers hear from us (and owners are reminded) during business hours only.
        return result
    due_ids = list(
        Checkin.objects.filter(status=Checkin.Status.SCHEDULED, due_on__lte=today)
        .order_by("due_on", "id")
        .values_list("pk", flat=True)
    )
    for checkin_id in due_ids:
        try:
            if checkin_handle_due(checkin_id=checkin_id, now=now) != "skipped":
                result["handled"] += 1
        except Exception:
            # One broken row must not hold back everyone else's check-ins; it stays scheduled.
            logger.exception("care: check-in %s could not be handled", checkin_id)
    for checkin_id, due_on in Checkin.objects.filter(status=Checkin.Status.DUE, due_on__lt=today).values_list(
        "pk", "due_on"
    ):
        if today >= overdue_from(due_on, calendar) and checkin_remind_overdue(checkin_id=checkin_id, now=now):
            result["overdue"] += 1
    result["feedback_requests"] = feedback_pick_up_closed(now=now)
    return result


# --- outcomes -----------------------------------------------------------------------------------
def _lock_open(checkin: Checkin) -> Checkin:
    checkin = Checkin.objects.select_for_update().select_related("client").get(pk=checkin.pk)
    if not checkin.is_open:
        raise ValidationError(_("This check-in is already closed."))
    return checkin


def checkin_complete(*, checkin: Checkin, actor, outcome: str, sentiment: str) -> Checkin:
    """Record how the check-in went; an at-risk outcome notifies every manager."""
    if sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Choose how the customer feels.")})
    outcome = (outcome or "").strip()
    with transaction.atomic():
        checkin = _lock_open(checkin)
        checkin.status = Checkin.Status.DONE
        checkin.done_at = timezone.now()
        checkin.done_by = actor
        checkin.outcome = outcome
        checkin.sentiment = sentiment
        checkin.save(update_fields=["status", "done_at", "done_by", "outcome", "sentiment"])
        label = Sentiment(sentiment).label
        timeline_record(
            client=checkin.client,
            kind="checkin.done",
            summary=_("Check-in done (%(channel)s): %(sentiment)s")
            % {"channel": checkin.get_channel_display(), "sentiment": label},
            actor=actor,
            body=outcome,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk, "sentiment": sentiment},
        )
        if sentiment == Sentiment.AT_RISK:
            _notify(
                recipients=_managers(),
                kind="checkin.at_risk",
                title=_("%(client)s is at risk") % {"client": checkin.client.name},
                body=_("%(name)s's check-in: %(outcome)s") % {"name": display_name(actor), "outcome": outcome},
                url=reverse("clients:detail", args=[checkin.client_id]),
                conversation=checkin.conversation,
            )
    return checkin


def checkin_skip(*, checkin: Checkin, actor, reason: str) -> Checkin:
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why this check-in is skipped.")})
    with transaction.atomic():
        checkin = _lock_open(checkin)
        checkin.status = Checkin.Status.SKIPPED
        checkin.skip_reason = reason
        checkin.done_by = actor
        checkin.save(update_fields=["status", "skip_reason", "done_by"])
        timeline_record(
            client=checkin.client,
            kind="checkin.skipped",
            summary=_("Check-in skipped: %(reason)s") % {"reason": reason},
            actor=actor,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
    return checkin


# --- feedback -----------------------------------------------------------------------------------
def feedback_request_send(*, conversation: Conversation) -> FeedbackRequest | None:
    """Ask the customer of a closed conversation to rate us (once per conversation).

    Returns None when the conversation has been asked already (a check-in conversation was
    asked in its check-in email) or its contact cannot be emailed (no address, or opted out of
    check-in emails).
    """
    contact = conversation.contact
    if not _emailable(contact) or not contact.accepts_checkins:
        return None
    with transaction.atomic():
        if FeedbackRequest.objects.filter(conversation=conversation, source__in=ASKED_SOURCES).exists():
            return None
        try:
            with transaction.atomic():
                feedback = FeedbackRequest.objects.create(
                    source=FeedbackRequest.Source.CONVERSATION,
                    client=conversation.client,
                    contact=contact,
                    conversation=conversation,
                    owner=conversation.owner,
                    channel=conversation.channel,
                    language=contact.preferred_language,
                )
        except IntegrityError:
            return None
        url = feedback_url(feedback)
        with translation.override(contact.preferred_language):
            subject = _("How did we do? %(subject)s") % {"subject": conversation.subject}
        outbox_enqueue(
            to=[contact.email],
            **reply_threading(conversation=conversation, subject=subject),
            template="care_feedback_request",
            context={"name": contact.name, "subject": conversation.subject, "feedback_url": url},
            language=contact.preferred_language,
            kind=OutboundEmail.Kind.FEEDBACK_REQUEST,
            client=conversation.client,
            automatic=True,
            unsubscribe_url=unsubscribe_url(contact),
            related={"conversation_id": conversation.pk, "feedback_request_id": feedback.pk},
        )
    return feedback


def feedback_pick_up_closed(*, now: dt.datetime) -> int:
    """Send feedback requests for recently closed conversations that have none yet."""
    candidates = (
        Conversation.objects.filter(
            status=Conversation.Status.CLOSED,
            last_message_at__gte=now - dt.timedelta(days=FEEDBACK_PICKUP_DAYS),
            contact__isnull=False,
        )
        .exclude(contact__email="")
        .filter(contact__accepts_checkins=True)
        .filter(~Exists(FeedbackRequest.objects.filter(conversation=OuterRef("pk"), source__in=ASKED_SOURCES)))
        .values_list("pk", flat=True)
    )
    sent = 0
    for conversation_id in list(candidates):
        with transaction.atomic():
            conversation = (
                Conversation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("client", "contact")
                .filter(pk=conversation_id, status=Conversation.Status.CLOSED)
                .first()
            )
            if conversation is not None and feedback_request_send(conversation=conversation) is not None:
                sent += 1
    return sent


def feedback_request_load(*, signed_token: str) -> FeedbackRequest:
    """The request behind a feedback link, or FeedbackLinkInvalid (tampered, expired, unknown)."""
    try:
        token = signing.loads(
            signed_token, salt=FEEDBACK_SALT, max_age=dt.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS)
        )
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise FeedbackLinkInvalid from exc
    feedback = (
        FeedbackRequest.objects.select_related("client", "contact", "conversation").filter(token=str(token)).first()
    )
    if feedback is None:
        raise FeedbackLinkInvalid
    return feedback


def feedback_can_change(feedback: FeedbackRequest, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return feedback.rated_at is None or now - feedback.rated_at <= dt.timedelta(
        minutes=settings.FEEDBACK_CHANGE_WINDOW_MINUTES
    )


def feedback_submit(*, feedback: FeedbackRequest, rating: str, comment: str = "") -> FeedbackRequest:
    """Record the customer's rating (first time) or change it within the short window.

    Raises FeedbackClosed when it was answered longer ago than FEEDBACK_CHANGE_WINDOW_MINUTES. A
    "Not good" rating notifies every manager at once and is written to the client timeline.
    """
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose one of the answers.")})
    comment = (comment or "").strip()[:4000]
    now = timezone.now()
    with transaction.atomic():
        feedback = FeedbackRequest.objects.select_for_update().get(pk=feedback.pk)
        if not feedback_can_change(feedback, now):
            raise FeedbackClosed
        first = feedback.rated_at is None
        previous = feedback.rating
        feedback.rating = rating
        feedback.comment = comment
        if first:
            feedback.rated_at = now
        else:
            feedback.updated_at = now
        feedback.save(update_fields=["rating", "comment", "rated_at", "updated_at"])
        feedback = FeedbackRequest.objects.select_related("client", "contact", "conversation").get(pk=feedback.pk)
        label = Rating(rating).label
        conversation = feedback.conversation
        url = conversation.get_absolute_url() if conversation else reverse("clients:detail", args=[feedback.client_id])
        who = feedback.contact.name if feedback.contact else feedback.client.name
        timeline_record(
            client=feedback.client,
            kind="feedback.received" if first else "feedback.changed",
            summary=(
                _("Feedback from %(name)s: %(rating)s") if first else _("Feedback changed by %(name)s: %(rating)s")
            )
            % {"name": who, "rating": label},
            body=comment,
            url=url,
            data={"feedback_request_id": feedback.pk, "rating": rating},
        )
        if rating == Rating.NOT_GOOD and previous != Rating.NOT_GOOD:
            about = conversation.subject if conversation else feedback.client.name
            _notify(
                recipients=_managers(),
                kind="feedback.not_good",
                title=_("“Not good” from %(name)s (%(client)s)") % {"name": who, "client": feedback.client.name},
                body=_("About: %(about)s\nComment: %(comment)s")
                % {"about": about, "comment": comment or _("(no comment)")},
                url=url,
                conversation=conversation,
            )
    return feedback


# --- unsubscribe --------------------------------------------------------------------------------
def unsubscribe_contact_load(*, signed_token: str) -> Contact:
    try:
        contact_id = signing.loads(signed_token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise FeedbackLinkInvalid from exc
    contact = Contact.objects.select_related("client").filter(pk=contact_id).first()
    if contact is None:
        raise FeedbackLinkInvalid
    return contact


def contact_unsubscribe_checkins(*, contact: Contact) -> bool:
    """The contact asked for no more check-in emails. False if they had already."""
    with transaction.atomic():
        if not Contact.objects.filter(pk=contact.pk, accepts_checkins=True).update(accepts_checkins=False):
            return False
        timeline_record(
            client=contact.client,
            kind="checkin.unsubscribed",
            summary=_("%(name)s unsubscribed from check-in emails") % {"name": contact.name},
            url=reverse("clients:detail", args=[contact.client_id]),
            data={"contact_id": contact.pk},
        )
    return True


# --- weekly review ------------------------------------------------------------------------------
def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_review_send(*, now: dt.datetime | None = None) -> WeeklyReview | None:
    """Email last week's review to every manager, once, at the week's first business opening.

    Runs hourly from beat; before the agency first opens this week (Monday morning, or the next
    working day when Monday is a holiday) it does nothing. The unique WeeklyReview row per week
    and the conditional update of emailed_at make a second run (or a second beat) a no-op.
    """
    now = now or timezone.now()
    calendar = load_calendar()
    this_monday = week_start_of(timezone.localdate(now, calendar.zone))
    monday_midnight = dt.datetime.combine(this_monday, dt.time(0), tzinfo=calendar.zone)
    if now < next_opening(monday_midnight, calendar):
        return None
    week_start = this_monday - dt.timedelta(days=7)
    review, _created = WeeklyReview.objects.get_or_create(week_start=week_start)
    with transaction.atomic():
        if not WeeklyReview.objects.filter(pk=review.pk, emailed_at__isnull=True).update(emailed_at=now):
            return None
        data = weekly_review(week_start=week_start, calendar=calendar)
        url = settings.SITE_URL + reverse("followups:weekly_review_week", args=[week_start.isoformat()])
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Weekly review: week of %(date)s") % {"date": week_start.isoformat()}
        for manager in _managers():
            if not manager.email:
                continue
            outbox_enqueue(
                to=[manager.email],
                subject=subject,
                template="care_weekly_review",
                context={"review": data, "url": url, "name": display_name(manager)},
                language=settings.LANGUAGE_CODE,
                kind=OutboundEmail.Kind.WEEKLY_REVIEW,
                automatic=True,
                related={"weekly_review_id": review.pk},
            )
    review.refresh_from_db()
    return review
