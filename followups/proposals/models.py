"""The accepted-proposal pick-up: `inquiries` records that a customer accepted a proposal, and
this room tells the people who own the work (a beat task, since `inquiries` cannot call up)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ProposalAcceptedNotice"]


class ProposalAcceptedNotice(models.Model):
    """Marks a customer's proposal acceptance as announced to the people who own the work.

    `inquiries` cannot call up into `followups` (layering), so the every-minute beat task
    `proposals-accepted-notify` picks newly accepted proposals up; the one-to-one key makes the
    announcement happen once even when two beats or a retried task race for the same proposal.
    """

    proposal = models.OneToOneField(
        "inquiries.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="accepted_notice"
    )
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal acceptance notice")
        verbose_name_plural = _("proposal acceptance notices")

    def __str__(self):
        return f"{self.proposal_id}: {self.notified_at}"
