from django.db import migrations

# The built-in checklist; wording is translated at display time (models.BUILTIN_QUESTION_LABELS).
QUESTIONS = [
    ("end_users", "Who are the end users?"),
    ("exists_today", "What exists today (systems, spreadsheets, paper)?"),
    ("day_one", "What must work on day one?"),
    ("deadline_driver", "What drives the deadline?"),
    ("budget", "What budget is available, and who approves it?"),
    ("maintenance", "Who maintains it afterwards?"),
]


def add_questions(apps, schema_editor):
    DiscoveryQuestion = apps.get_model("inquiries", "DiscoveryQuestion")
    for position, (key, text) in enumerate(QUESTIONS):
        DiscoveryQuestion.objects.get_or_create(key=key, defaults={"text": text, "position": position})


def remove_questions(apps, schema_editor):
    DiscoveryQuestion = apps.get_model("inquiries", "DiscoveryQuestion")
    DiscoveryQuestion.objects.filter(key__in=[key for key, _ in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    operations = [migrations.RunPython(add_questions, remove_questions)]
