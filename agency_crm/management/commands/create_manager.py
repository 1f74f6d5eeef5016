"""Create (or promote) a manager account: `python manage.py create_manager USERNAME EMAIL`.

The password is asked for interactively, or read from DJANGO_MANAGER_PASSWORD.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agency_crm.roles import MANAGER_GROUP, ensure_role_groups


class Command(BaseCommand):
    help = "Create or promote a manager account (Manager role, admin access)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")

    def handle(self, *args, username, email, **options):
        ensure_role_groups()
        User = get_user_model()
        password = os.environ.get("DJANGO_MANAGER_PASSWORD") or getpass.getpass("Password: ")
        user = User.objects.filter(username=username).first() or User(username=username)
        user.email = email
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        user.groups.add(Group.objects.get(name=MANAGER_GROUP))
        self.stdout.write(self.style.SUCCESS(f"{username} is a manager."))
