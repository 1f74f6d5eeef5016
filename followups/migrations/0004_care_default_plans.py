"""Default check-in plans; the values are documented in followups.models_care.DEFAULT_CHECKIN_PLANS."""

from django.db import migrations

from followups.models_care import ensure_default_checkin_plans


def create_plans(apps, schema_editor):
    ensure_default_checkin_plans(apps.get_model("followups", "CheckinPlan"))


class Migration(migrations.Migration):
    dependencies = [("followups", "0003_care_models")]

    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]
