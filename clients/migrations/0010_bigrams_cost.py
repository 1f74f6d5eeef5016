"""gonggam_bigrams costs what it costs: COST 1000 instead of the default 100, so the planner uses
the bigram indexes instead of calling the function on every row (see clients.indexes). Plans
only; the body and every stored index stay as they are."""

from django.db import migrations


def set_cost(cost):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'gonggam_bigrams'")
            if cursor.fetchone():
                cursor.execute(f"ALTER FUNCTION gonggam_bigrams(text) COST {cost}")

    return run


class Migration(migrations.Migration):
    dependencies = [("clients", "0009_contact_portal_access")]

    operations = [migrations.RunPython(set_cost(1000), set_cost(100))]
