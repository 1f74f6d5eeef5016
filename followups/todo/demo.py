"""Demo tasks: a few promised next steps on the demo's inquiries (one overdue, one today, one
later), made through the service. Idempotent: an inquiry that has tasks is left alone."""

import datetime as dt

from django.utils import timezone

from inquiries.models import Inquiry

from .models import Task
from .services import task_create

DEMO_TASKS = [
    (-1, None, "Send the revised estimate"),
    (0, dt.time(16, 0), "Call to walk through the proposal"),
    (5, None, "Book the kick-off meeting"),
]


def seed(*, users) -> None:
    today = timezone.localdate()
    inquiries = list(Inquiry.objects.exclude(status__in=["won", "lost"]).select_related("owner").order_by("pk")[:3])
    for inquiry, (days, at, title) in zip(inquiries, DEMO_TASKS, strict=False):
        if Task.objects.filter(inquiry=inquiry).exists():
            continue
        task_create(
            attached_to=inquiry, title=title, due_on=today + dt.timedelta(days=days), due_time=at, actor=inquiry.owner
        )
