"""The "open tasks" offboarding provider (registered in FollowupsConfig.ready()): a promised next
step must keep a living owner when its assignee leaves."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from .models import Task
from .services import tasks_hand_over


def _open_tasks_of(user):
    return Task.objects.filter(assignee=user, done_at__isnull=True)


class OpenTasksProvider:
    key = "open_tasks"
    label = gettext_lazy("Open tasks")

    def count_for(self, user) -> int:
        return _open_tasks_of(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        return [
            (task.title, reverse("followups:task_edit", args=[task.pk]))
            for task in _open_tasks_of(user).only("id", "title").order_by("due_at", "id")
        ]

    @transaction.atomic
    def reassign(self, *, from_user, to_user, actor) -> int:
        return tasks_hand_over(from_user=from_user, to_user=to_user, actor=actor)
