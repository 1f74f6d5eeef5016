"""Default response policies; the values are documented in followups.models.DEFAULT_POLICIES."""

from django.db import migrations

from followups.models import ensure_default_policies


def create_policies(apps, schema_editor):
    ensure_default_policies(apps.get_model("followups", "ResponsePolicy"))


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
