"""The "open check-ins" offboarding provider (registered in FollowupsConfig.ready()).

Check-ins not yet done or skipped move to the new owner, who is then the one reminded, named in
the check-in email and asked for the outcome. Done and skipped ones keep their owner (history).
"""

from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from .models import Checkin


def _open_owned_by(user):
    return Checkin.objects.filter(owner=user, status__in=Checkin.OPEN_STATUSES)


class OpenCheckinsProvider:
    key = "open_checkins"
    label = gettext_lazy("Open check-ins")

    def count_for(self, user) -> int:
        return _open_owned_by(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        checkins = _open_owned_by(user).select_related("client").order_by("due_on", "id")
        return [
            (
                f"{checkin.client.name}: {checkin.get_channel_display()} · {date_format(checkin.due_on)}",
                reverse("clients:detail", args=[checkin.client_id]),
            )
            for checkin in checkins
        ]

    @transaction.atomic
    def reassign(self, *, from_user, to_user, actor) -> int:
        checkins = list(_open_owned_by(from_user).select_for_update(of=("self",)).select_related("client"))
        reason = facts.fact(gettext_noop("Handed over from %(name)s (offboarding)"), name=facts.person(from_user))
        for checkin in checkins:
            checkin.owner = to_user
            checkin.save(update_fields=["owner"])
            timeline_record(
                client=checkin.client,
                kind="checkin.reassigned",
                summary=gettext_noop("Check-in due %(due)s moved from %(old)s to %(new)s"),
                params={"due": facts.day(checkin.due_on), "old": facts.person(from_user), "new": facts.person(to_user)},
                body=reason,
                actor=actor,
                url=reverse("followups:checkins"),
                data={"checkin_id": checkin.pk, "from": from_user.pk, "to": to_user.pk},
            )
        return len(checkins)
