"""Timeline rows written before facts existed: recover the message and parameters from the stored
text (English or Korean, matched against the catalogue), so they too are shown in each reader's
language. Rows that match nothing keep showing their stored text."""

from django.db import migrations


def recover(apps, schema_editor):
    from agency_crm.facts import recover_rows

    recover_rows(apps.get_model("clients", "TimelineEvent"), "summary")


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_facts")]
    operations = [migrations.RunPython(recover, migrations.RunPython.noop)]
