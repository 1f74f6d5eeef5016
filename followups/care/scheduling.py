"""Scheduling check-ins: start a plan for a client, pick up delivered inquiries, extend maintenance plans."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from agency_crm import facts
from clients.models import Client, Contact
from clients.timeline import timeline_record
from inquiries.models import Inquiry

from ..conversations.business_calendar import Calendar
from ..conversations.hours import load_calendar
from .dates import add_months, checkin_due_dates, next_business_day
from .models import (
    Checkin,
    CheckinPlan,
    CheckinSchedule,
)

logger = logging.getLogger(__name__)

# Delivered inquiries older than this are not picked up (a plan started now would be meaningless).
DELIVERY_PICKUP_DAYS = 90

# The singular and plural of the timeline fact (makemessages keeps the pair for ngettext_lazy).
PLAN_STARTED = facts.plural(
    ngettext_lazy(
        "Check-in plan %(plan)s started: %(count)d check-in from %(first)s",
        "Check-in plan %(plan)s started: %(count)d check-ins from %(first)s",
        "count",
    ),
    "count",
)


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
            summary=PLAN_STARTED[0],
            params={
                "plan": facts.term(plan.name),
                "count": len(dates),
                "first": facts.day(dates[0][1]) if dates else "-",
                **PLAN_STARTED[1],
            },
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


def checkins_start_after_delivery(*, inquiry: Inquiry, actor=None) -> CheckinSchedule | None:
    """Start the after-delivery plan for an inquiry just marked delivered (registered with
    `inquiries.hooks.on_delivered`, so staff see the check-ins at once; the hourly pick-up stays
    as the safety net)."""
    plan = CheckinPlan.objects.filter(kind=CheckinPlan.Kind.AFTER_DELIVERY, active=True).first()
    if plan is None or inquiry.delivered_on is None:
        return None
    inquiry = Inquiry.objects.select_related("client__account_owner", "contact").get(pk=inquiry.pk)
    return checkin_plan_start(
        plan=plan, client=inquiry.client, started_on=inquiry.delivered_on, inquiry=inquiry, actor=actor
    )


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
