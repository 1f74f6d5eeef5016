"""The "Tasks" card of the client, inquiry and conversation pages: the item's open tasks and a
small form to add one (two queries: the tasks, and the colleagues a task can be for)."""

from django import template

from ..todo.forms import TaskForm
from ..todo.selectors import tasks_about
from ..todo.services import ATTACHABLE, owner_of

register = template.Library()


@register.inclusion_tag("followups/todo/_panel.html", takes_context=True)
def task_panel(context, target):
    about = ATTACHABLE[type(target)]
    request = context.get("request")
    return {
        "about": about,
        "target": target,
        "tasks": tasks_about(about, target),
        "form": TaskForm(initial={"assignee": owner_of(target).pk}, auto_id=f"id_task_{about}_%s"),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "user": context.get("user"),
    }
