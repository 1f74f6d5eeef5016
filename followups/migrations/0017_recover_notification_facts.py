"""Notifications written before facts existed: recover title and body facts from their text
(see clients/migrations/0008_recover_timeline_facts.py)."""

from django.db import migrations


def recover(apps, schema_editor):
    from agency_crm.facts import recover_rows

    notification = apps.get_model("followups", "Notification")
    recover_rows(notification, "title")
    recover_rows(notification, "body", "body_message", "body_params")
    # The unknown senders' client was named in the language of whoever's email created it: its name
    # is now the English message, shown in each reader's language (clients.Client.label).
    apps.get_model("clients", "Client").objects.filter(is_placeholder=True).update(name="Unknown senders (triage)")


class Migration(migrations.Migration):
    dependencies = [("followups", "0016_facts"), ("clients", "0008_recover_timeline_facts")]
    operations = [migrations.RunPython(recover, migrations.RunPython.noop)]
