"""CSV import (preview, all-or-nothing, UTF-8 / BOM / CP949 / EUC-KR) and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.csv_io import decode_csv_bytes, export_csv_lines, import_preview, neutralise_cell
from clients.models import Client, Contact
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

HEADER = "name,status,account_owner,backup_owner,tags,contact_name,contact_email,contact_phone,contact_language\n"


def csv_text(owner, other):
    hanbit = f"한빛 물류,maintenance,{owner.username},{other.username},물류;유지보수"
    return HEADER + (
        f"{hanbit},김하늘,haneul@hanbit.example,010-2345-6789,ko\n"
        f"{hanbit},박민수,minsu@hanbit.example,,ko\n"
        f"Blue Harbor Coffee,active,{other.username},,,Emma Collins,emma@blueharbor.example,+1 415 555 0100,en\n"
    )


def upload(client, data: bytes, name="clients.csv"):
    return client.post("/clients/import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_a_valid_file_is_previewed_then_imported(owner_client, owner, other_staff):
    response = upload(owner_client, csv_text(owner, other_staff).encode("utf-8"))
    preview = response.context["preview"]
    assert preview.is_valid and preview.client_count == 2
    assert not Client.objects.exists(), "the preview writes nothing"
    response = owner_client.post("/clients/import/confirm/")
    assert response.status_code == 302
    hanbit = Client.objects.get(name="한빛 물류")
    assert hanbit.status == "maintenance" and hanbit.backup_owner == other_staff
    assert sorted(hanbit.tags.values_list("name", flat=True)) == ["물류", "유지보수"]
    assert sorted(hanbit.contacts.values_list("name", flat=True)) == ["김하늘", "박민수"]
    assert Contact.objects.get(name="Emma Collins").preferred_language == "en"


def test_a_bad_row_shows_row_errors_and_nothing_is_written(owner_client, owner, other_staff):
    text = csv_text(owner, other_staff) + (
        f"Broken Co,unknown-status,nobody,,,Someone,not-an-email,call me,ko\n,active,{owner.username},,,,,,\n"
    )
    response = upload(owner_client, text.encode("utf-8"))
    preview = response.context["preview"]
    assert not preview.is_valid
    bad = {row.line: row.errors for row in preview.rows if row.errors}
    assert set(bad) == {5, 6}
    joined = " ".join(bad[5])
    assert "status" in joined and "nobody" in joined and "contact_email" in joined and "contact_phone" in joined
    assert any(error.startswith("name") for error in bad[6])
    html = response.content.decode()
    assert "nothing was imported" in html and "Import now" not in html
    # Even a crafted confirm does nothing: the session holds no valid preview.
    response = owner_client.post("/clients/import/confirm/")
    assert response.status_code == 302 and not Client.objects.exists()


def test_a_utf8_bom_file_from_excel_reads_correctly(owner_client, owner, other_staff):
    data = csv_text(owner, other_staff).encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    upload(owner_client, data)
    owner_client.post("/clients/import/confirm/")
    assert sorted(Client.objects.values_list("name", flat=True)) == ["Blue Harbor Coffee", "한빛 물류"]


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_a_korean_excel_file_reads_correctly(owner_client, owner, other_staff, encoding):
    data = csv_text(owner, other_staff).encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    upload(owner_client, data)
    owner_client.post("/clients/import/confirm/")
    assert Client.objects.get(name="한빛 물류").contacts.filter(name="김하늘").exists()


def test_existing_client_names_and_unknown_columns_are_errors(owner):
    ClientFactory(account_owner=owner, name="Existing")
    preview = import_preview(f"name,account_owner\nExisting,{owner.username}\n")
    assert not preview.is_valid and "already exists" in preview.rows[0].errors[0]
    preview = import_preview(f"name,account_owner,password\nNew,{owner.username},x\n")
    assert preview.file_errors == ["Unknown columns: password"]


def test_rows_of_one_client_must_agree(owner, other_staff):
    text = f"name,account_owner\nSame,{owner.username}\nSame,{other_staff.username}\n"
    preview = import_preview(text)
    assert not preview.is_valid
    assert "differs from line 2" in preview.rows[1].errors[0]


def test_undecodable_bytes_are_a_clear_error(owner_client):
    response = upload(owner_client, b"\xff\xfe\x00\x00\xff" * 10)
    assert "is not UTF-8" in response.content.decode()


def test_decode_prefers_utf8():
    assert decode_csv_bytes("이름".encode()) == "이름"
    assert decode_csv_bytes("\ufeff이름".encode()) == "이름"
    assert decode_csv_bytes("이름".encode("cp949")) == "이름"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+82 2 123 4567", "'+82 2 123 4567"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("한빛 = 물류", "한빛 = 물류"),
        (None, ""),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_an_export_imports_again(owner_client, owner, other_staff):
    client = ClientFactory(account_owner=owner, backup_owner=other_staff, name="Round Trip")
    ContactFactory(client=client, name="Kim", phone="+82 2 123 4567")
    text = "".join(export_csv_lines([(client, client.contacts.get())])).lstrip("\ufeff")
    preview = import_preview(text)
    assert preview.is_valid, [row.errors for row in preview.rows]
    assert preview.rows[0].cleaned["contact_phone"] == "+82 2 123 4567"
    # The export's id column matches the client it came from: nothing to change.
    assert [plan.action for plan in preview.plans] == ["unchanged"]


def test_the_import_page_documents_the_columns(owner_client):
    html = owner_client.get("/clients/import/").content.decode()
    for column in ["name", "account_owner", "contact_email", "contact_accepts_checkins"]:
        assert f"<code>{column}</code>" in html


# --- odd files: a clear message, never a 500 ------------------------------------------------
def _odd(owner, cell: str) -> bytes:
    return (HEADER + f"Odd Co,active,{owner.username},,,Someone,{cell},,ko\n").encode("utf-8")


@pytest.mark.parametrize(
    ("cell", "column"),
    [("a\x00b@x.example", "contact_email"), ("x" * 131_073, "contact_email"), ("x" * 200_000, "contact_email")],
)
def test_a_cell_with_a_nul_or_too_long_is_a_row_error_not_a_500(owner_client, owner, cell, column):
    owner_client.raise_request_exception = False
    response = upload(owner_client, _odd(owner, cell))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert not preview.is_valid and not Client.objects.exists()
    assert preview.file_errors or any(row.errors for row in preview.rows)


def test_a_nul_in_a_name_cell_is_refused_before_the_database(owner):
    preview = import_preview(HEADER + f"Odd\x00Co,active,{owner.username},,,,,,ko\n")
    assert not preview.is_valid
    assert any("name" in error for row in preview.rows for error in row.errors)


def test_a_huge_cell_says_which_line_and_how_long_a_cell_may_be(owner):
    preview = import_preview(HEADER + f"Odd Co,active,{owner.username},,,,{'x' * 131_073},,ko\n")
    assert not preview.is_valid and preview.rows == []
    assert preview.file_errors == ["Line 2: a cell is longer than 10,000 characters."]
