"""Re-importing an exported CSV updates the clients it came from (issue 14, point 13): rows are
matched on the `id` column of the export, the preview lists what would change (nothing is
written before the confirmation), and CP949/EUC-KR files and formula escaping still work."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.csv_io import export_csv_lines, import_preview
from clients.models import Client, Contact, Tag, TimelineEvent
from clients.selectors import client_export_rows, client_list_queryset
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanbit(owner, other_staff):
    client = ClientFactory(account_owner=owner, backup_owner=other_staff, name="한빛 물류", status="prospect")
    client.tags.set([Tag.objects.create(name="물류")])
    ContactFactory(client=client, name="김하늘", email="haneul@hanbit.example", phone="+82 2 123 4567")
    return client


def exported() -> str:
    return "".join(export_csv_lines(client_export_rows(client_list_queryset()))).lstrip("\ufeff")


def upload(http, text: str, encoding="utf-8"):
    data = text.encode(encoding)
    return http.post("/clients/import/", {"file": SimpleUploadedFile("clients.csv", data, content_type="text/csv")})


def test_the_export_carries_the_client_id(hanbit):
    header, row = exported().splitlines()[:2]
    assert header.startswith("id,name,")
    assert row.startswith(f"{hanbit.pk},한빛 물류,")


def test_an_unchanged_export_reimports_as_no_changes(owner_client, hanbit):
    response = upload(owner_client, exported())
    preview = response.context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows]
    assert [(plan.action, plan.changes) for plan in preview.plans] == [("unchanged", [])]
    assert "already exists" not in response.content.decode()


def test_an_edited_export_previews_the_changes_then_updates_the_client(owner_client, owner, hanbit):
    text = exported().replace(",prospect,", ",active,").replace("'+82 2 123 4567", "010-9999-0000")
    client_cells = f"{hanbit.pk},한빛 물류,company,active,standard,{owner.username},other,,물류,"
    text += f"{client_cells},박민수,minsu@hanbit.example,,,,ko,yes\n"
    response = upload(owner_client, text)
    preview = response.context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows]
    [plan] = preview.plans
    assert plan.action == "update"
    assert ("status", "Prospect", "Active") in plan.changes
    contacts = {c.name: (c.action, c.changes) for c in plan.contacts}
    assert contacts["김하늘"] == ("update", [("phone", "+82 2 123 4567", "010-9999-0000")])
    assert contacts["박민수"][0] == "create"
    html = response.content.decode()
    assert "Prospect → Active" in html and "010-9999-0000" in html
    hanbit.refresh_from_db()
    assert hanbit.status == "prospect", "the preview writes nothing"

    response = owner_client.post("/clients/import/confirm/")
    assert response.status_code == 302
    hanbit.refresh_from_db()
    assert hanbit.status == "active" and Client.objects.count() == 1
    assert Contact.objects.get(name="김하늘").phone == "010-9999-0000"
    assert Contact.objects.get(name="박민수").client == hanbit
    # Through the services: the status change is on the timeline with who made it.
    event = TimelineEvent.objects.get(client=hanbit, kind="client.status_changed")
    assert event.actor == owner


def test_a_korean_excel_file_updates_too(owner_client, hanbit):
    text = exported().replace(",prospect,", ",maintenance,")
    upload(owner_client, text, encoding="cp949")
    owner_client.post("/clients/import/confirm/")
    hanbit.refresh_from_db()
    assert hanbit.status == "maintenance"
    # The escaped phone ('+82 ...) came back as it was.
    assert Contact.objects.get(name="김하늘").phone == "+82 2 123 4567"


def test_an_unknown_id_is_an_error_and_a_new_name_that_exists_still_is(owner, hanbit):
    preview = import_preview(f"id,name,account_owner\n999999,Ghost,{owner.username}\n")
    assert not preview.is_valid and "999999" in " ".join(preview.rows[0].errors)
    preview = import_preview(f"name,account_owner\n한빛 물류,{owner.username}\n")
    assert not preview.is_valid and "already exists" in " ".join(preview.rows[0].errors)


def test_rows_without_an_id_still_create_clients(owner):
    preview = import_preview(f"id,name,account_owner\n,Blue Harbor,{owner.username}\n")
    assert preview.is_valid and [plan.action for plan in preview.plans] == ["create"]


def test_the_confirmation_is_refused_when_the_clients_changed_since_the_preview(owner_client, owner, hanbit):
    upload(owner_client, exported().replace(",prospect,", ",active,"))
    Client.objects.filter(pk=hanbit.pk).update(status="former")
    response = owner_client.post("/clients/import/confirm/")
    assert response.status_code == 200
    assert "changed since" in response.content.decode()
    hanbit.refresh_from_db()
    assert hanbit.status == "former"
