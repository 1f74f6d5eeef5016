import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_crm.settings")

app = Celery("agency_crm")
# Every Celery setting lives in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds tasks.py in every installed app.
app.autodiscover_tasks()
