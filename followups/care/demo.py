"""Demo post-sale care for `manage.py seed_demo` (idempotent: keyed by client and plan, and by
conversation for feedback). Called at the end of followups.demo.seed."""

import datetime as dt

from django.utils import timezone

from clients.models import Client

from ..conversations.models import Conversation
from .checkins import checkin_complete
from .feedback import ASKED_SOURCES, feedback_submit
from .models import Checkin, CheckinPlan, CheckinSchedule, FeedbackRequest, ensure_default_checkin_plans
from .scheduling import checkin_plan_start

# client name, plan kind, started days ago, [(sequence, sentiment, outcome)] already done
DEMO_PLANS = [
    ("한빛 물류", CheckinPlan.Kind.MAINTENANCE, 20, []),
    (
        "Blue Harbor Coffee",
        CheckinPlan.Kind.AFTER_DELIVERY,
        35,
        [(1, "good", "Ordering app works well; staff like it.")],
    ),
    ("Namsan Fitness", CheckinPlan.Kind.AFTER_DELIVERY, 9, []),
]
# client name, conversation subject, rating, comment
DEMO_FEEDBACK = [
    ("Namsan Fitness", "Invoice for October", "great", "Quick and friendly, thank you!"),
]


def seed(*, users) -> None:
    ensure_default_checkin_plans()
    today = timezone.localdate()
    for client_name, kind, days_ago, done in DEMO_PLANS:
        client = Client.objects.filter(name=client_name).first()
        plan = CheckinPlan.objects.filter(kind=kind).first()
        if client is None or plan is None or CheckinSchedule.objects.filter(client=client, plan=plan).exists():
            continue
        schedule = checkin_plan_start(
            plan=plan, client=client, started_on=today - dt.timedelta(days=days_ago), actor=users["manager"]
        )
        for sequence, sentiment, outcome in done:
            checkin = Checkin.objects.get(schedule=schedule, sequence=sequence)
            checkin_complete(checkin=checkin, actor=client.account_owner, outcome=outcome, sentiment=sentiment)
    for client_name, subject, rating, comment in DEMO_FEEDBACK:
        conversation = Conversation.objects.filter(client__name=client_name, subject=subject).first()
        if conversation is None:
            continue
        if FeedbackRequest.objects.filter(conversation=conversation, source__in=ASKED_SOURCES).exists():
            continue
        feedback = FeedbackRequest.objects.create(
            source=FeedbackRequest.Source.CONVERSATION,
            client=conversation.client,
            contact=conversation.contact,
            conversation=conversation,
            owner=conversation.owner,
            channel=conversation.channel,
            language=conversation.contact.preferred_language if conversation.contact else "ko",
        )
        feedback_submit(feedback=feedback, rating=rating, comment=comment)
