"""Every admin page of every registered model opens for a superuser: the list, the add form and
an existing row's form. The admin's widgets have Django templates only, and form widgets render
through Django's Jinja2 templates first (agency_crm.jinja_templates.FormRenderer), which must fall
back to them."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_every_admin_list_add_and_change_page_opens(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_world()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "unused-password"))
    failed, opened = [], 0
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        row = model._default_manager.first()
        if row is not None:
            paths.append(reverse(f"{prefix}_change", args=[row.pk]))
        for path in paths:
            status = client.get(path).status_code
            opened += 1
            if status not in (200, 403):  # 403: a model the admin offers read-only or not at all to add
                failed.append((path, status))
    assert failed == []
    assert opened > 60  # the walk reached the admin's pages
