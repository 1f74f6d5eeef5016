"""Staff and Manager roles.

A role is a Django group. Managers hold the agency-wide permissions of AgencyPermission plus
the right to see periodic task schedules in the admin; staff hold none of them. All active
staff see all clients and conversations (customer knowledge is shared across the agency).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

MANAGER_GROUP = "Manager"
STAFF_GROUP = "Staff"

MANAGER_PERMISSIONS = [
    "agency_crm.view_dashboard",
    "agency_crm.reassign_work",
    "agency_crm.archive_clients",
    "agency_crm.manage_staff",
    "agency_crm.manage_policies",
    "django_celery_beat.view_periodictask",
    "django_celery_beat.change_periodictask",
    "django_celery_beat.view_crontabschedule",
    "django_celery_beat.view_intervalschedule",
]


def ensure_role_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    manager, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    Group.objects.get_or_create(name=STAFF_GROUP)
    wanted = []
    for dotted in MANAGER_PERMISSIONS:
        app_label, codename = dotted.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            wanted.append(perm)
    manager.permissions.add(*wanted)


def active_managers() -> list:
    """Everyone `is_manager` is true for (the Manager role or the permission itself) and
    superusers, in one query: who urgent notices, escalations and the weekly review reach."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    perm = Q(
        groups__permissions__codename="view_dashboard", groups__permissions__content_type__app_label="agency_crm"
    ) | Q(user_permissions__codename="view_dashboard", user_permissions__content_type__app_label="agency_crm")
    return list(
        get_user_model().objects.filter(is_active=True).filter(perm | Q(is_superuser=True)).distinct().order_by("pk")
    )


def is_manager(user) -> bool:
    return bool(user and user.is_active and user.has_perm("agency_crm.view_dashboard"))


def manager_required(view):
    """Logged-in staff who are not managers get 403 (anonymous users are sent to login by
    LoginRequiredMiddleware before this runs)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # Lets the URL-walking access test find every manager-only page.
    wrapper.manager_only = True
    return wrapper
