"""A reminder is kept per customer message, not per wait row (issue 16).

Replays of the clock used to match stored waits by position, so a late-logged earlier exchange
moved a wait's reminders onto another message and its own levels were reminded again. The
reminder now names the customer message that started its wait; existing rows take their wait's
`started_by`. Deleting a wait row no longer deletes its reminders (and their notifications).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def name_the_message(apps, schema_editor):
    Reminder = apps.get_model("followups", "Reminder")
    ResponseWait = apps.get_model("followups", "ResponseWait")
    starter = ResponseWait.objects.filter(pk=OuterRef("wait_id")).values("started_by_id")[:1]
    Reminder.objects.update(message_id=Subquery(starter))


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0012_dashboard_snapshot"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="reminder",
            name="reminder_once_per_wait_level",
        ),
        migrations.AddField(
            model_name="reminder",
            name="message",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="followups.message",
                verbose_name="customer message",
            ),
        ),
        migrations.RunPython(name_the_message, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reminder",
            name="message",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="followups.message",
                verbose_name="customer message",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="wait",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reminders",
                to="followups.responsewait",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(fields=("message", "level"), name="reminder_once_per_message_level"),
        ),
    ]
