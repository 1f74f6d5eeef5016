"""Demo data for `make run`: a manager, two staff members and each app's demo records.

Each app may provide `<app>/demo.py` with `seed(*, users) -> None`; they run in
INSTALLED_APPS order (clients, then inquiries, then followups). Every step is idempotent:
running the command twice adds nothing the second time.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from agency_crm.preferences.services import preferences_save
from agency_crm.roles import MANAGER_GROUP, STAFF_GROUP, ensure_role_groups

DEMO_USERS = [
    # username, password, given name, family name, email, manager?, language (their /settings/)
    ("manager", "gonggam-manager", "서연", "김", "manager@example.com", True, ""),
    ("minji", "gonggam-staff", "민지", "박", "minji@example.com", False, "ko"),
    ("junho", "gonggam-staff", "Junho", "Lee", "junho@example.com", False, "en"),
]


class Command(BaseCommand):
    help = "Load demo users and records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only seed when there are no users yet.")

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        User = get_user_model()
        if if_empty and User.objects.exists():
            self.stdout.write("Database already has users; demo data not loaded.")
            self._print_logins()
            return
        ensure_role_groups()
        users = {}
        for username, password, first, last, email, manager, language in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": email, "is_staff": manager},
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                preferences_save(user=user, changes={"language": language})
            user.groups.add(Group.objects.get(name=MANAGER_GROUP if manager else STAFF_GROUP))
            users[username] = user
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is not None:
                import_module(module_name).seed(users=users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("Demo logins (username / password):")
        for username, password, *_rest, manager, _language in DEMO_USERS:
            role = "manager" if manager else "staff"
            self.stdout.write(f"  {username:8} / {password:16} ({role})")
