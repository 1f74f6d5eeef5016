"""The "snoozed reminders" offboarding provider (registered in FollowupsConfig.ready()).

A running snooze is a colleague's decision to hold a waiting customer's reminders ("she calls back
tomorrow at 11"). When they leave, someone must answer for it: the snooze keeps its time and reason
and is handed to the new person, on the client timeline, so the decision has a living owner.
Snoozes that have ended are history and stay as they were.

After an offboarding the receiver gets one notice listing everything they now own
(`notify_work_handed_over`, registered with clients.offboarding.on_handed_over).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from .models import ReminderSchedule
from .services.delivery import local_minute
from .services.notifications import notify


def _running_snoozes_of(user):
    return ReminderSchedule.objects.filter(snoozed_by=user, snoozed_until__gt=timezone.now())


class ActiveSnoozesProvider:
    key = "active_snoozes"
    label = gettext_lazy("Snoozed reminders")

    def count_for(self, user) -> int:
        return _running_snoozes_of(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        schedules = (
            _running_snoozes_of(user).select_related("wait__conversation__client").order_by("snoozed_until", "pk")
        )
        return [
            (
                f"{s.wait.conversation.client.name}: {s.wait.conversation.subject} · "
                + _("until %(until)s") % {"until": local_minute(s.snoozed_until)},
                s.wait.conversation.get_absolute_url(),
            )
            for s in schedules
        ]

    @transaction.atomic
    def reassign(self, *, from_user, to_user, actor) -> int:
        schedules = list(
            _running_snoozes_of(from_user).select_for_update(of=("self",)).select_related("wait__conversation__client")
        )
        reason = facts.fact(gettext_noop("Handed over from %(name)s (offboarding)"), name=facts.person(from_user))
        for schedule in schedules:
            schedule.snoozed_by = to_user
            schedule.save(update_fields=["snoozed_by", "updated_at"])
            conversation = schedule.wait.conversation
            timeline_record(
                client=conversation.client,
                kind="wait.snooze_reassigned",
                summary=gettext_noop("Snooze until %(until)s of %(subject)s moved from %(old)s to %(new)s"),
                params={
                    "until": facts.moment(schedule.snoozed_until),
                    "subject": conversation.subject,
                    "old": facts.person(from_user),
                    "new": facts.person(to_user),
                },
                body=reason,
                actor=actor,
                url=conversation.get_absolute_url(),
                data={"conversation_id": conversation.pk, "wait_id": schedule.pk, "to": to_user.pk},
            )
        return len(schedules)


def notify_work_handed_over(*, from_user, to_user, actor, work: list[tuple[str, list[str]]]) -> None:
    """One notice to `to_user`: whose work they took over and, per kind, what it is."""
    groups = [
        facts.fact(gettext_noop("%(kind)s: %(items)s"), kind=facts.term(label), items=facts.listing(titles))
        for label, titles in work
    ]
    notify(
        recipients=[to_user],
        kind="work.handed_over",
        title=gettext_noop("%(actor)s handed you everything %(name)s owned"),
        params={"actor": facts.person(actor), "name": facts.person(from_user)},
        body=gettext_noop("Now yours: %(work)s"),
        body_params={"work": facts.listing(groups, separator="; ")},
        url=reverse("clients:list") + f"?owner={to_user.pk}",
    )
