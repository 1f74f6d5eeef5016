"""The "inquiries in progress" offboarding provider (registered in InquiriesConfig.ready()).

An inquiry is still someone's work until it is lost or its won work is delivered (from then on
check-ins, which have owners of their own, look after the customer). Lost and delivered inquiries
keep their owner: that is history, like a closed conversation's.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy, gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from .models import Inquiry


def _in_progress_owned_by(user):
    return (
        Inquiry.objects.filter(owner=user)
        .exclude(status=Inquiry.Status.LOST)
        .exclude(Q(status=Inquiry.Status.WON) & Q(delivered_on__isnull=False))
    )


class OpenInquiriesProvider:
    key = "open_inquiries"
    label = gettext_lazy("Inquiries in progress")

    def count_for(self, user) -> int:
        return _in_progress_owned_by(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        inquiries = _in_progress_owned_by(user).select_related("client").order_by("-created_at", "-id")
        return [
            (f"{inquiry.client.name}: {inquiry.title} ({inquiry.get_status_display()})", inquiry.get_absolute_url())
            for inquiry in inquiries
        ]

    @transaction.atomic
    def reassign(self, *, from_user, to_user, actor) -> int:
        inquiries = list(_in_progress_owned_by(from_user).select_for_update(of=("self",)).select_related("client"))
        reason = facts.fact(gettext_noop("Handed over from %(name)s (offboarding)"), name=facts.person(from_user))
        for inquiry in inquiries:
            inquiry.owner = to_user
            inquiry.save(update_fields=["owner", "updated_at"])
            timeline_record(
                client=inquiry.client,
                kind="inquiry.reassigned",
                summary=gettext_noop("Inquiry %(title)s moved from %(old)s to %(new)s"),
                params={"title": inquiry.title, "old": facts.person(from_user), "new": facts.person(to_user)},
                body=reason,
                actor=actor,
                url=inquiry.get_absolute_url(),
                data={"inquiry_id": inquiry.pk, "from": from_user.pk, "to": to_user.pk},
            )
        return len(inquiries)
