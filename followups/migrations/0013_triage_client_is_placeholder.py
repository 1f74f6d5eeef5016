"""Mark the existing triage client (MailboxState.triage_client) as a placeholder, so it leaves the
client list, pickers, exports, search and counts (issue 14)."""

from django.db import migrations


def mark_triage_client(apps, schema_editor):
    MailboxState = apps.get_model("followups", "MailboxState")
    Client = apps.get_model("clients", "Client")
    state = MailboxState.objects.filter(pk=1).first()
    if state is not None and state.triage_client_id:
        Client.objects.filter(pk=state.triage_client_id).update(is_placeholder=True)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_client_is_placeholder"),
        ("followups", "0012_dashboard_snapshot"),
    ]

    operations = [
        migrations.RunPython(mark_triage_client, migrations.RunPython.noop),
    ]
