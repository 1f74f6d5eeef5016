"""Task pages: /tasks/ by when tasks are due, the navigation's count, adding a task from the
client, inquiry, conversation and check-in pages, done, reopen and edit, with their permission
rule, odd input and constant query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followups.models import Task
from followups.todo import services
from tests.factories import ClientFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, default_checkin_plans, seoul  # noqa: F401
from tests.followups.factories import ConversationFactory
from tests.inquiries.factories import InquiryFactory

# Wednesday 9 December 2026, 10:00 in Seoul: the week ends on Sunday the 13th.
WEDNESDAY_10 = seoul(2026, 12, 9, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(WEDNESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def inquiry(owner):
    return InquiryFactory(
        owner=owner, title="Booking app", client=ClientFactory(name="Hanbit Dental", account_owner=owner)
    )


def add(target, owner, title, due_on, due_time=None):
    return services.task_create(attached_to=target, title=title, due_on=due_on, due_time=due_time, actor=owner)


def test_my_tasks_are_grouped_by_when_they_are_due(owner_client, owner, inquiry, frozen, django_assert_num_queries):
    add(inquiry, owner, "Yesterday", dt.date(2026, 12, 8))
    add(inquiry, owner, "This morning", dt.date(2026, 12, 9), dt.time(9, 30))
    add(inquiry, owner, "This afternoon", dt.date(2026, 12, 9), dt.time(15, 0))
    add(inquiry.client, owner, "Sunday", dt.date(2026, 12, 13))
    add(inquiry, owner, "Next week", dt.date(2026, 12, 14))
    services.task_complete(task=add(inquiry, owner, "Finished", dt.date(2026, 12, 9)), actor=owner)
    add(InquiryFactory(), UserFactory(), "Someone else's", dt.date(2026, 12, 9))
    # 1 session, 2 user, 3 open tasks with what they are about, 4 the latest done tasks,
    # 5-6 user and group permissions (navigation). The count in the navigation comes by htmx.
    with django_assert_num_queries(6):
        response = owner_client.get(reverse("followups:tasks"))
    tasks = response.context["tasks"]
    assert [t.title for t in tasks.overdue] == ["Yesterday", "This morning"]
    assert [t.title for t in tasks.today] == ["This afternoon"]
    assert [t.title for t in tasks.this_week] == ["Sunday"]
    assert [t.title for t in tasks.later] == ["Next week"]
    assert [t.title for t in tasks.done] == ["Finished"]
    html = response.content.decode()
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert "Booking app (Hanbit Dental)" in html and 'data-nav="tasks"' in html


def test_the_navigation_count_is_overdue_and_today_in_one_query(
    owner_client, owner, inquiry, frozen, django_assert_num_queries
):
    add(inquiry, owner, "Yesterday", dt.date(2026, 12, 8))
    add(inquiry, owner, "Today", dt.date(2026, 12, 9), dt.time(18))
    add(inquiry, owner, "Tomorrow", dt.date(2026, 12, 10))
    # 1 session, 2 user, 3 the COUNT.
    with django_assert_num_queries(3):
        response = owner_client.get(reverse("followups:task_count"))
    assert 'id="task-count"' in response.content.decode() and ">2</span>" in response.content.decode()


@pytest.mark.parametrize("about", ["client", "inquiry", "conversation", "checkin"])
def test_a_task_is_added_from_each_kind_of_page(owner_client, owner, other_staff, inquiry, about, frozen):
    targets = {
        "client": inquiry.client,
        "inquiry": inquiry,
        "conversation": ConversationFactory(client=inquiry.client, owner=owner),
        "checkin": CheckinFactory(client=inquiry.client, owner=owner),
    }
    target = targets[about]
    pages = {
        "client": lambda: reverse("clients:detail", args=[target.pk]),
        "inquiry": lambda: target.get_absolute_url(),
        "conversation": lambda: target.get_absolute_url(),
        "checkin": lambda: reverse("followups:checkins"),
    }
    pages = {about: pages[about]()}
    page = owner_client.get(pages[about]).content.decode()
    if about == "checkin":
        assert f"about=checkin&amp;about_id={target.pk}" in page
        assert (
            owner_client.get(reverse("followups:task_create"), {"about": about, "about_id": target.pk}).status_code
            == 200
        )
    else:
        assert 'data-testid="task-form"' in page
    response = owner_client.post(
        reverse("followups:task_create"),
        {
            "about": about,
            "about_id": target.pk,
            "next": pages[about],
            "title": "Send the invoice",
            "due_on": "2026-12-10",
            "due_time": "14:00",
            "assignee": other_staff.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == pages[about]
    task = Task.objects.get()
    assert task.attached_to == target and task.assignee == other_staff and task.due_at == seoul(2026, 12, 10, 14)
    if about != "checkin":
        assert "Send the invoice" in owner_client.get(pages[about]).content.decode()


def test_odd_input_to_the_create_form(owner_client, owner, inquiry):
    url = reverse("followups:task_create")
    assert owner_client.post(url, {"about": "proposal", "about_id": 1}).status_code == 400
    assert owner_client.post(url, {"about": "inquiry", "about_id": "x"}).status_code == 400
    assert owner_client.post(url, {"about": "inquiry", "about_id": 99999999}).status_code == 404
    assert owner_client.get(url).status_code == 400
    bad = {
        "about": "inquiry",
        "about_id": inquiry.pk,
        "title": " ",
        "due_on": "2026-13-45",
        "due_time": "25:99",
        "assignee": "x",
    }
    response = owner_client.post(url, bad)
    assert response.status_code == 400 and set(response.context["form"].errors) == {
        "title",
        "due_on",
        "due_time",
        "assignee",
    }
    # An outside `next` is not followed.
    good = {
        **bad,
        "title": "Call",
        "due_on": "2026-12-10",
        "due_time": "",
        "assignee": owner.pk,
        "next": "https://evil.example/",
    }
    response = owner_client.post(url, good)
    assert response.status_code == 302 and response["Location"] == inquiry.get_absolute_url()
    assert Task.objects.get().due_time is None


def test_someone_else_cannot_give_an_items_task_to_a_third_person(other_client, inquiry):
    third = UserFactory(username="third")
    data = {"about": "inquiry", "about_id": inquiry.pk, "title": "Call", "due_on": "2026-12-10", "assignee": third.pk}
    assert other_client.post(reverse("followups:task_create"), data).status_code == 403
    assert not Task.objects.exists()


def test_done_reopen_and_edit_are_for_the_assignee_the_creator_and_managers(
    client, owner, other_staff, manager, inquiry
):
    task = add(inquiry, owner, "Call", dt.date(2026, 12, 10))
    client.force_login(other_staff)
    for name in ("task_done", "task_reopen"):
        assert client.post(reverse(f"followups:{name}", args=[task.pk])).status_code == 403
    assert client.get(reverse("followups:task_edit", args=[task.pk])).status_code == 403
    client.force_login(owner)
    response = client.post(reverse("followups:task_done", args=[task.pk]), {"next": "/tasks/"})
    assert response.status_code == 302 and Task.objects.get().is_done
    client.force_login(manager)
    assert client.post(reverse("followups:task_reopen", args=[task.pk])).status_code == 302
    assert not Task.objects.get().is_done
    response = client.post(
        reverse("followups:task_edit", args=[task.pk]),
        {"title": "Call again", "due_on": "2026-12-11", "due_time": "09:00", "assignee": other_staff.pk},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.assignee, task.due_at) == ("Call again", other_staff, seoul(2026, 12, 11, 9))
    assert client.get(reverse("followups:task_done", args=[task.pk])).status_code == 405


def test_customer_text_in_a_task_title_is_shown_as_text(owner_client, owner, inquiry, frozen):
    add(inquiry, owner, "<script>alert(1)</script>", dt.date(2026, 12, 9))
    html = owner_client.get(reverse("followups:tasks")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
