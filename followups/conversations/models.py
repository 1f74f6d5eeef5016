"""Customer conversations and the response clock.

- `ResponsePolicy`: first-response and next-reply targets per client tier.
- `Conversation`, `Message`, `InternalNote`: the thread. Notes never touch the clock.
- `ResponseWait`: one stretch of "a customer is waiting on us", with its stored figures. The
  dashboard aggregates these rows; they are (re)computed only by followups.conversations.clock.
- `NoReplyNeeded`: the audited decision that a wait needed no answer.

The agency's opening hours (`BusinessCalendar`, `ClosureDay`) live in `hours`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm.people import display_name
from clients.indexes import text_search_indexes
from clients.models import Client, Contact, ResponseTier

__all__ = [
    "Channel",
    "Conversation",
    "DEFAULT_POLICIES",
    "InternalNote",
    "Message",
    "NoReplyNeeded",
    "ResponsePolicy",
    "ResponseWait",
    "ThreadMove",
    "Topic",
    "ensure_default_policies",
]


# tier, first response, next reply (business minutes; a business day is 9 hours, 09:00-18:00).
DEFAULT_POLICIES = [
    ("", 480, 960),  # the default, for clients whose tier has no policy of its own
    (ResponseTier.STANDARD.value, 480, 960),
    (ResponseTier.MAINTENANCE.value, 240, 480),
    (ResponseTier.PROSPECT.value, 540, 540),
]


def ensure_default_policies(policy_model=None) -> None:
    """Create the default policies that are missing (idempotent; used by the data migration)."""
    policy_model = policy_model or ResponsePolicy
    # An older migration's historical model has no channel yet.
    per_channel = {"channel": ""} if any(f.name == "channel" for f in policy_model._meta.fields) else {}
    for tier, first, following in DEFAULT_POLICIES:
        policy_model.objects.get_or_create(
            tier=tier, **per_channel, defaults={"first_response_minutes": first, "next_reply_minutes": following}
        )


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    KAKAO = "kakao", _("KakaoTalk")
    WEB_FORM = "web_form", _("Web form")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class ResponsePolicy(models.Model):
    """Targets in business minutes (shown as hours and minutes of business time), per client tier
    and channel. `tier` "" is the default for clients whose tier has no policy of its own, and
    `channel` "" is the tier's target on every channel without one of its own."""

    tier = models.CharField(
        _("client tier"),
        max_length=20,
        choices=ResponseTier.choices,
        blank=True,
        help_text=_("Empty for the default policy."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text=_("Empty for every channel without a target of its own."),
    )
    first_response_minutes = models.PositiveIntegerField(_("first response target"))
    next_reply_minutes = models.PositiveIntegerField(_("next reply target"))
    send_acknowledgement = models.BooleanField(_("send an automatic acknowledgement"), default=False)
    around_the_clock = models.BooleanField(
        _("count around the clock"), default=False, help_text=_("Ignore opening hours, weekends and holidays.")
    )

    class Meta:
        ordering = ["tier", "channel"]
        verbose_name = _("response policy")
        verbose_name_plural = _("response policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0, next_reply_minutes__gt=0), name="policy_targets_positive"
            ),
            # for_tier reads by (tier, channel): one target per pair.
            models.UniqueConstraint(fields=["tier", "channel"], name="policy_one_per_tier_and_channel"),
        ]

    def __str__(self):
        tier = str(self.get_tier_display()) if self.tier else str(_("Default policy"))
        return f"{tier} · {self.get_channel_display()}" if self.channel else tier

    @classmethod
    def for_tier(cls, tier: str, policies=None, channel: str = "") -> "ResponsePolicy":
        """The policy of the tier on the channel, else the tier's on every channel, else the
        default tier's on the channel, else the default. `policies` (a list) avoids a query."""
        if policies is None:
            policies = list(cls.objects.filter(tier__in=[tier, ""], channel__in=[channel, ""]))
        by_key = {(p.tier, p.channel): p for p in policies}
        for key in ((tier, channel), (tier, ""), ("", channel), ("", "")):
            if key in by_key:
                return by_key[key]
        # The data migration creates the default; never leave the clock without a target.
        policy, _created = cls.objects.get_or_create(
            tier="", channel="", defaults={"first_response_minutes": 480, "next_reply_minutes": 960}
        )
        return policy


class Topic(models.Model):
    """What a conversation is about ("login bug", "invoice"), for the weekly review."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class Conversation(models.Model):
    class Status(models.TextChoices):
        WAITING_ON_US = "waiting_on_us", _("Waiting on us")
        WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting on customer")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("client"))
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("contact"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    channel = models.CharField(_("channel of origin"), max_length=20, choices=Channel.choices)
    # Opened by a message whose sender did not prove the address (the contact form: anyone can
    # type any address); the inbox row says so without reading the messages.
    sender_unverified = models.BooleanField(_("opened by an unverified sender"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("owner")
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.WAITING_ON_CUSTOMER)
    tags = models.ManyToManyField(Topic, blank=True, related_name="conversations", verbose_name=_("topics"))
    # Copied from the open ResponseWait (None when nobody waits), for the inbox ordering.
    awaiting_since = models.DateTimeField(_("awaiting since"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply due at"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Set when staff merged this conversation into another (services/merge.py): the row stays as a
    # tombstone whose URL redirects there, and no list or search shows it.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            # The inbox: WHERE status = 'waiting_on_us' ORDER BY reply_due_at, id.
            models.Index(
                fields=["reply_due_at", "id"], condition=Q(status="waiting_on_us"), name="conversation_inbox_idx"
            ),
            # Offboarding and "mine": WHERE owner_id = ? AND status <> 'closed'.
            models.Index(fields=["owner", "status"], name="conversation_owner_status_idx"),
            # The search page: clients.search.text_filter(Conversation, ["subject"], q).
            *text_search_indexes(prefix="conversation", fields=["subject"]),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("followups:conversation", args=[self.pk])


class Message(models.Model):
    class Direction(models.TextChoices):
        FROM_CUSTOMER = "in", _("From customer")
        FROM_US = "out", _("From us")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff author"),
    )
    author_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact author")
    )
    body = models.TextField(_("message"))
    # The address was typed, not proven (the contact form): staff see "unverified sender", the
    # contact's own self-service page does not call it theirs. A /my/ link or a reply to our
    # email proves the address.
    sender_unverified = models.BooleanField(_("unverified sender"), default=False)
    # When it actually happened (staff may log a call after the fact), never in the future.
    occurred_at = models.DateTimeField(_("happened at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            # The thread and the clock: WHERE conversation_id = ? ORDER BY occurred_at, id.
            models.Index(fields=["conversation", "occurred_at", "id"], name="message_thread_idx"),
            # The search page: clients.search.text_filter(Message, ["body"], q).
            *text_search_indexes(prefix="message", fields=["body"]),
            # The search page's last week (search.newest_matching_ids), ANDed with the word's index.
            models.Index(fields=["occurred_at"], name="message_occurred_at_idx"),
        ]

    def __str__(self):
        return self.body[:50]

    @property
    def from_customer(self) -> bool:
        return self.direction == self.Direction.FROM_CUSTOMER

    def author_name(self) -> str:
        if self.from_customer:
            return self.author_contact.name if self.author_contact else str(_("Customer"))
        return display_name(self.author_user, str(_("Us")))


class InternalNote(models.Model):
    """A colleague's note on a conversation; customers never see it and it never stops a clock."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.body[:50]


class ThreadMove(models.Model):
    """The conversation's own history of merges and moved-out messages: who moved what, when.
    Shown on both conversations' pages, worded for the reader when the page is rendered."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        MOVE_OUT = "move_out", _("Moved to a new conversation")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The conversation page reads WHERE source_id = ? OR target_id = ? (both foreign keys' indexes).
    source = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+", verbose_name=_("from"))
    target = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+", verbose_name=_("to"))
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    message_count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["moved_at", "id"]
        verbose_name = _("thread move")
        verbose_name_plural = _("thread moves")

    def __str__(self):
        return f"{self.kind} {self.source_id} -> {self.target_id}"


class NoReplyNeeded(models.Model):
    """Audit record: someone decided a waiting customer needed no answer (e.g. "thanks!")."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="no_reply_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("no reply needed decision")
        verbose_name_plural = _("no reply needed decisions")

    def __str__(self):
        return self.reason


class ResponseWait(models.Model):
    """One stretch during which a customer waited on us, and how it ended."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First response")
        NEXT = "next", _("Next reply")

    class ClosedReason(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        NO_REPLY_NEEDED = "no_reply_needed", _("No reply needed")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="waits")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    policy = models.ForeignKey(ResponsePolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_minutes = models.PositiveIntegerField(_("target (business minutes)"))
    started_at = models.DateTimeField(_("waiting since"))
    started_by = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    reply_due_at = models.DateTimeField(_("reply due at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    answered_by = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    no_reply_decision = models.ForeignKey(
        NoReplyNeeded, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copies of the conversation's owner, client and channel, so the dashboard's breakdown reads
    # one narrow index (wait_answered_facts_idx) instead of joining every conversation. The clock
    # sets them on every replay and followups.conversations.clock.waits_follow_conversation re-syncs
    # them when a conversation changes hands. No index of their own: nothing looks waits up by them.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    channel = models.CharField(max_length=20, blank=True)
    # Stored when answered; None for open waits and no-reply-needed closures (not counted).
    calendar_seconds = models.PositiveIntegerField(null=True, blank=True)
    business_seconds = models.PositiveIntegerField(null=True, blank=True)
    met_target = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("response wait")
        verbose_name_plural = _("response waits")
        constraints = [
            # The clock logic relies on it: a conversation has at most one open wait.
            models.UniqueConstraint(
                fields=["conversation"], condition=Q(closed_at__isnull=True), name="wait_one_open_per_conversation"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_reason="")
                | Q(closed_at__isnull=False, closed_reason__in=["answered", "no_reply_needed"]),
                name="wait_closed_has_reason",
            ),
        ]
        indexes = [
            # Reminders: WHERE closed_at IS NULL AND reply_due_at <= ? ORDER BY reply_due_at.
            models.Index(fields=["reply_due_at"], condition=Q(closed_at__isnull=True), name="wait_open_due_idx"),
            # Dashboards: WHERE closed_reason = 'answered' AND closed_at BETWEEN ? AND ?.
            models.Index(fields=["closed_reason", "closed_at"], name="wait_closed_idx"),
            # The dashboard's breakdown (selectors_dashboard._postgres_breakdown): the same range,
            # answered only, read from the index alone (an index-only scan; PostgreSQL only).
            models.Index(
                fields=["closed_at"],
                include=["owner", "client", "channel", "kind", "met_target", "business_seconds", "calendar_seconds"],
                condition=Q(closed_reason="answered"),
                name="wait_answered_facts_idx",
            ),
        ]

    def __str__(self):
        return f"{self.conversation_id} {self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
