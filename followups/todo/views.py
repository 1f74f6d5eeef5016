"""Tasks: "My tasks" (/tasks/), the navigation's count, adding one about an item, done, reopen
and edit. Thin views: access is decided by the services (`services.may_work`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.models import Client
from inquiries.models import Inquiry

from ..care.models import Checkin
from ..conversations.models import Conversation
from . import selectors, services
from .forms import TaskAboutForm, TaskForm
from .models import Task

MODELS = {"client": Client, "inquiry": Inquiry, "conversation": Conversation, "checkin": Checkin}


def _page_of(about: str, target) -> str:
    if about == "client":
        return reverse("clients:detail", args=[target.pk])
    if about == "checkin":
        return reverse("followups:checkins")
    return target.get_absolute_url()


def _next(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def task_list(request):
    tasks = selectors.my_tasks(user=request.user)
    return render(request, "followups/todo/task_list.html", {"tasks": tasks})


def task_count(request):
    """The navigation's badge (htmx fragment): one COUNT query."""
    count = selectors.tasks_due_count(user=request.user)
    return HttpResponse(render_to_string("followups/todo/_nav_count.html", {"count": count}))


def _about(data):
    about_form = TaskAboutForm(data)
    if not about_form.is_valid():
        return None, None
    about = about_form.cleaned_data["about"]
    model = MODELS[about]
    related = () if about == "client" else ("client",)
    target = get_object_or_404(model.objects.select_related(*related), pk=about_form.cleaned_data["about_id"])
    return about, target


@require_http_methods(["GET", "POST"])
def task_create(request):
    about, target = _about(request.POST if request.method == "POST" else request.GET)
    if target is None:
        return render(request, "followups/todo/task_form.html", {"about_missing": True}, status=400)
    owner = services.owner_of(target)
    form = TaskForm(request.POST or None, initial={"assignee": owner.pk})
    back = _next(request, _page_of(about, target))
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(attached_to=target, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task added."))
            return redirect(back)
    client = target if about == "client" else target.client
    context = {"form": form, "about": about, "target": target, "client": client, "back": back}
    return render(request, "followups/todo/task_form.html", context, status=400 if form.errors else 200)


def _task(pk: int) -> Task:
    return get_object_or_404(Task.objects.select_related(*selectors.RELATED, "assignee"), pk=pk)


@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = _task(pk)
    if not services.may_work(request.user, task):
        raise PermissionDenied
    initial = {"title": task.title, "due_on": task.due_on, "due_time": task.due_time, "assignee": task.assignee_id}
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Task saved."))
            return redirect(_next(request, reverse("followups:tasks")))
    context = {"form": form, "task": task, "back": _next(request, reverse("followups:tasks"))}
    return render(request, "followups/todo/task_form.html", context, status=400 if form.errors else 200)


@require_POST
def task_done(request, pk: int):
    task = _task(pk)
    services.task_complete(task=task, actor=request.user)
    messages.success(request, _("Task done."))
    return redirect(_next(request, reverse("followups:tasks")))


@require_POST
def task_reopen(request, pk: int):
    task = _task(pk)
    services.task_reopen(task=task, actor=request.user)
    messages.success(request, _("Task reopened."))
    return redirect(_next(request, reverse("followups:tasks")))
