"""Task services: who may create, complete, reopen and change a task; the timeline; planning of
reminders; exactly-once reminders; suggestions; offboarding; the board's next step."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from clients.models import TimelineEvent
from clients.offboarding import staff_offboard
from followups.models import Notification, Task, TaskReminder, TaskReminderLevel
from followups.todo import services
from followups.todo.reminders import task_reminders_run
from inquiries import hooks
from tests.factories import ClientFactory, ManagerFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, default_checkin_plans, seoul  # noqa: F401
from tests.followups.factories import ConversationFactory
from tests.inquiries.factories import InquiryFactory

MONDAY_10 = seoul(2026, 12, 7, 10)


@pytest.fixture
def inquiry(owner):
    return InquiryFactory(
        owner=owner, title="Booking app", client=ClientFactory(name="Hanbit Dental", account_owner=owner)
    )


def create(target, actor, **kw):
    kw.setdefault("title", "Call back about the budget")
    kw.setdefault("due_on", dt.date(2026, 12, 8))
    return services.task_create(attached_to=target, actor=actor, **kw)


def test_a_task_is_for_the_owner_of_what_it_is_about_by_default(inquiry, other_staff):
    with time_machine.travel(MONDAY_10, tick=False):
        task = create(inquiry, other_staff)
    assert task.assignee == inquiry.owner
    assert task.inquiry == inquiry and task.created_by == other_staff
    # Date only: due at the end of that day, Seoul time.
    assert task.due_at == seoul(2026, 12, 8, 23, 59, 59, 999999)


def test_the_four_kinds_of_item_each_default_to_their_owner(owner, other_staff):
    client = ClientFactory(account_owner=owner)
    conversation = ConversationFactory(client=client, owner=other_staff)
    checkin = CheckinFactory(client=client, owner=other_staff)
    with time_machine.travel(MONDAY_10, tick=False):
        assert create(client, owner).assignee == owner
        assert create(conversation, owner).assignee == other_staff
        assert create(checkin, owner).assignee == other_staff


def test_a_task_is_attached_to_exactly_one_item(inquiry):
    task = create(inquiry, inquiry.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(client=inquiry.client)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(inquiry=None)


def test_only_the_owner_or_a_manager_give_an_items_task_to_someone_else(inquiry, other_staff, manager):
    third = UserFactory(username="third")
    with pytest.raises(PermissionDenied):
        create(inquiry, other_staff, assignee=third)
    assert create(inquiry, other_staff, assignee=other_staff).assignee == other_staff  # for oneself
    assert create(inquiry, inquiry.owner, assignee=third).assignee == third
    assert create(inquiry, manager, assignee=third).assignee == third
    assert Notification.objects.filter(recipient=third, kind="task.assigned").count() == 2


def test_odd_input_is_refused(inquiry):
    with pytest.raises(ValidationError) as error:
        create(inquiry, inquiry.owner, title="   ")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError):
        create(inquiry, inquiry.owner, assignee=UserFactory(is_active=False))
    with pytest.raises(ValidationError):
        services.task_create(attached_to=object(), title="x", due_on=dt.date(2026, 12, 8), actor=inquiry.owner)


def test_done_and_reopen_by_the_assignee_creator_or_a_manager_only(inquiry, other_staff, manager):
    task = create(inquiry, inquiry.owner)
    with pytest.raises(PermissionDenied):
        services.task_complete(task=task, actor=other_staff)
    task = services.task_complete(task=task, actor=inquiry.owner)
    assert task.done_at is not None and task.done_by == inquiry.owner and task.remind_at is None
    with pytest.raises(PermissionDenied):
        services.task_reopen(task=task, actor=other_staff)
    task = services.task_reopen(task=task, actor=manager)
    assert task.done_at is None and task.done_by is None
    own = create(inquiry, other_staff)  # created by other_staff for the owner
    assert services.task_complete(task=own, actor=other_staff).is_done


def test_the_timeline_records_created_and_done_in_the_readers_language(inquiry):
    with time_machine.travel(MONDAY_10, tick=False):
        task = create(inquiry, inquiry.owner, title="견적 다시 보내기")
        services.task_complete(task=task, actor=inquiry.owner)
    created, done = TimelineEvent.objects.filter(client=inquiry.client, kind__startswith="task.").order_by("id")
    assert created.kind == "task.created" and done.kind == "task.done"
    assert created.summary == "Task for Minji Park: 견적 다시 보내기, due Tue 8 Dec 2026"
    with translation.override("ko"):
        assert "견적 다시 보내기" in done.text and "완료" in done.text
        assert created.text == "Minji Park의 할 일: 견적 다시 보내기, 기한 2026년 12월 8일 (화)"


def test_handing_a_task_on_asks_the_owner_change_rule(inquiry, other_staff, manager):
    task = create(inquiry, inquiry.owner)
    due = {"title": "Send the contract", "due_on": dt.date(2026, 12, 9), "due_time": dt.time(14, 30)}
    with pytest.raises(PermissionDenied):
        services.task_update(task=task, actor=other_staff, assignee=other_staff, **due)
    task = services.task_update(task=task, actor=manager, assignee=other_staff, **due)
    assert (task.assignee, task.title, task.due_at) == (other_staff, "Send the contract", seoul(2026, 12, 9, 14, 30))
    assert TimelineEvent.objects.filter(kind="task.changed").count() == 1


def test_reminders_are_planned_an_hour_before_at_due_and_the_morning_after(inquiry):
    with time_machine.travel(MONDAY_10, tick=False):
        timed = create(inquiry, inquiry.owner, due_time=dt.time(15, 0))
        dated = create(inquiry, inquiry.owner)
        soon = create(inquiry, inquiry.owner, due_on=dt.date(2026, 12, 7), due_time=dt.time(10, 30))
    assert (timed.remind_level, timed.remind_at) == (TaskReminderLevel.SOON, seoul(2026, 12, 8, 14))
    # A date only has no "hour before": the morning of its day.
    assert (dated.remind_level, dated.remind_at) == (TaskReminderLevel.DUE, seoul(2026, 12, 8, 9))
    # Created less than an hour before it is due: the hour-before reminder is already past.
    assert (soon.remind_level, soon.remind_at) == (TaskReminderLevel.DUE, seoul(2026, 12, 7, 10, 30))


def test_each_level_is_reminded_exactly_once_in_order_even_when_run_again(inquiry):
    with time_machine.travel(MONDAY_10, tick=False):
        create(inquiry, inquiry.owner, due_time=dt.time(15, 0))
    assert task_reminders_run(now=seoul(2026, 12, 8, 13)) == 0
    assert task_reminders_run(now=seoul(2026, 12, 8, 14, 1)) == 1
    assert task_reminders_run(now=seoul(2026, 12, 8, 14, 2)) == 0
    # After an outage: due and overdue both came; each once, in order.
    assert task_reminders_run(now=seoul(2026, 12, 9, 9, 30)) == 2
    assert task_reminders_run(now=seoul(2026, 12, 9, 9, 31)) == 0
    kinds = list(Notification.objects.filter(recipient=inquiry.owner).order_by("id").values_list("kind", flat=True))
    assert kinds == ["task.soon", "task.due", "task.overdue"]
    assert list(TaskReminder.objects.order_by("id").values_list("level", flat=True)) == [1, 2, 3]
    overdue = Notification.objects.get(kind="task.overdue")
    assert overdue.email_pending  # it goes into the batched digest email
    assert (
        overdue.title
        == "Overdue task: Call back about the budget (Booking app (Hanbit Dental)), due Tue 8 Dec 2026, 15:00"
    )


def test_a_done_task_is_not_reminded_and_a_reopened_one_is_not_reminded_twice(inquiry):
    with time_machine.travel(MONDAY_10, tick=False):
        task = create(inquiry, inquiry.owner, due_time=dt.time(15, 0))
    assert task_reminders_run(now=seoul(2026, 12, 8, 14, 1)) == 1
    services.task_complete(task=task, actor=inquiry.owner)
    assert task_reminders_run(now=seoul(2026, 12, 9, 10)) == 0
    with time_machine.travel(seoul(2026, 12, 8, 13), tick=False):
        services.task_reopen(task=task, actor=inquiry.owner, now=seoul(2026, 12, 8, 13))
    assert task_reminders_run(now=seoul(2026, 12, 8, 14, 30)) == 0  # the hour-before was reminded already
    assert Notification.objects.filter(kind="task.soon").count() == 1


def test_a_suggested_task_is_created_once(inquiry):
    referrer = ClientFactory(name="Referrer")
    owner = referrer.account_owner
    first = services.task_suggest(
        assignee=owner, title="Thank Referrer", attached_to=referrer, due_on=dt.date(2026, 12, 8)
    )
    again = services.task_suggest(
        assignee=owner, title="Thank Referrer", attached_to=referrer, due_on=dt.date(2026, 12, 9)
    )
    assert first.pk == again.pk and first.created_by is None
    assert Task.objects.count() == 1
    assert Notification.objects.filter(kind="task.assigned").count() == 0


def test_offboarding_hands_open_tasks_over(inquiry, manager):
    leaver = inquiry.owner
    receiver = UserFactory(username="receiver")
    inquiry.owner = receiver
    inquiry.save()
    task = create(inquiry, leaver, assignee=leaver)
    done = services.task_complete(task=create(inquiry, leaver, assignee=leaver), actor=leaver)
    client = inquiry.client
    client.account_owner = receiver
    client.save()
    result = staff_offboard(user=leaver, to_user=receiver, actor=manager)
    assert result.moved["open_tasks"] == 1 and result.deactivated
    task.refresh_from_db()
    done.refresh_from_db()
    assert task.assignee == receiver and done.assignee == leaver
    assert TimelineEvent.objects.filter(kind="task.reassigned", data__task_id=task.pk).exists()


def test_the_board_gets_each_inquirys_next_open_task_in_one_query(inquiry, django_assert_num_queries):
    other = InquiryFactory(owner=inquiry.owner)
    none = InquiryFactory(owner=inquiry.owner)
    with time_machine.travel(MONDAY_10, tick=False):
        create(inquiry, inquiry.owner, title="Later", due_on=dt.date(2026, 12, 20))
        create(inquiry, inquiry.owner, title="Next", due_on=dt.date(2026, 12, 9), due_time=dt.time(11))
        services.task_complete(
            task=create(inquiry, inquiry.owner, title="Done", due_on=dt.date(2026, 12, 8)), actor=inquiry.owner
        )
        create(other, inquiry.owner, title="Date only", due_on=dt.date(2026, 12, 10))
    # One query: SELECT DISTINCT ON (inquiry_id) ... ORDER BY inquiry_id, due_at.
    with django_assert_num_queries(1):
        steps = hooks.next_steps([inquiry.pk, other.pk, none.pk])
    assert set(steps) == {inquiry.pk, other.pk}
    assert steps[inquiry.pk] == hooks.NextStep(title="Next", due_at=seoul(2026, 12, 9, 11), has_time=True)
    assert steps[other.pk].due_at == seoul(2026, 12, 10, 23, 59, 59, 999999) and not steps[other.pk].has_time


def test_a_manager_gives_a_task_to_anyone(inquiry):
    boss = ManagerFactory(username="boss2")
    third = UserFactory(username="third")
    assert (
        services.task_create(
            attached_to=inquiry, title="x", due_on=dt.date(2026, 12, 8), assignee=third, actor=boss
        ).assignee
        == third
    )


def test_a_merged_conversations_tasks_follow_it_and_a_moved_out_message_leaves_them(owner):
    from followups.conversations.services import (
        conversation_merge,
        conversation_start,
        message_move_out,
        message_receive,
    )
    from followups.models import Channel
    from tests.followups.factories import ContactFactory

    customer = ContactFactory(client=ClientFactory(account_owner=owner))
    kakao = conversation_start(
        client=customer.client, contact=customer, subject="카톡", channel=Channel.KAKAO, actor=owner
    )
    message_receive(conversation=kakao, body="배송 언제 되나요?", channel=Channel.KAKAO)
    email = conversation_start(
        client=customer.client, contact=customer, subject="Email", channel=Channel.EMAIL, actor=owner
    )
    message = message_receive(conversation=email, body="Where is it?", channel=Channel.EMAIL)
    task = services.task_create(attached_to=kakao, title="Call back", due_on=dt.date(2026, 12, 9), actor=owner)
    conversation_merge(source=kakao, target=email, actor=owner)
    task.refresh_from_db()
    assert task.conversation_id == email.pk

    message.refresh_from_db()
    message_move_out(message=message, actor=owner)
    task.refresh_from_db()
    assert task.conversation_id == email.pk
