"""CSV import and export of clients with their contacts.

Import is all-or-nothing: every row is validated first (preview with row-by-row errors and, when
valid, what would change for each client; see clients.import_plan), and nothing is written unless
every row is valid and the confirmation matches the preview. A row with an `id` (the export writes
it) updates that client; rows without one create clients, and rows with the same client name
describe one client with several contacts. Files may be UTF-8, UTF-8 with BOM (Excel) or CP949/EUC-KR (Korean Excel).
Export neutralises cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import import_plan
from .models import Client, Contact, ResponseTier, phone_validator

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# Longer cells are refused with the line number (Python's csv module stops at 131,072 with an
# error of its own, which must not become a 500).
MAX_CELL_LENGTH = 10_000

# (column, description) in file order; the import page documents them.
COLUMNS = [
    ("id", gettext_lazy("Client id, as the export writes it: the row updates that client. Empty for a new client.")),
    ("name", gettext_lazy("Client name (required). Rows with the same name add contacts to one client.")),
    ("kind", gettext_lazy("company or individual (default company)")),
    ("status", gettext_lazy("prospect, active, maintenance or former (default prospect)")),
    ("response_tier", gettext_lazy("standard, maintenance or prospect (default standard)")),
    ("account_owner", gettext_lazy("Username of an active staff member (required)")),
    ("backup_owner", gettext_lazy("Username of another active staff member (optional)")),
    ("website", gettext_lazy("http:// or https:// address (optional)")),
    ("tags", gettext_lazy("Tags separated by ; (optional)")),
    ("notes", gettext_lazy("Free text (optional)")),
    ("contact_name", gettext_lazy("Contact's name (optional; the other contact columns need it)")),
    ("contact_email", gettext_lazy("Contact's email")),
    ("contact_phone", gettext_lazy("Contact's phone, e.g. 010-1234-5678")),
    ("contact_kakao_id", gettext_lazy("Contact's KakaoTalk ID")),
    ("contact_role", gettext_lazy("Contact's role, e.g. CTO")),
    ("contact_language", gettext_lazy("ko or en (default ko)")),
    ("contact_accepts_checkins", gettext_lazy("yes or no (default yes)")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"", "yes", "y", "true", "1", "예", "네", "o"}
FALSE_WORDS = {"no", "n", "false", "0", "아니오", "아니요", "x"}


class ImportFileError(Exception):
    pass


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then CP949 (a superset of EUC-KR)."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is not UTF-8, UTF-8 with BOM, CP949 or EUC-KR text."))


class ImportRowForm(forms.Form):
    id = forms.IntegerField(required=False, min_value=1)
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Client.Kind.choices, required=False)
    status = forms.ChoiceField(choices=Client.Status.choices, required=False)
    response_tier = forms.ChoiceField(choices=ResponseTier.choices, required=False)
    account_owner = forms.CharField(max_length=150)
    backup_owner = forms.CharField(max_length=150, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    tags = forms.CharField(required=False, max_length=500)
    notes = forms.CharField(required=False)
    contact_name = forms.CharField(max_length=200, required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(max_length=30, required=False, validators=[phone_validator])
    contact_kakao_id = forms.CharField(max_length=100, required=False)
    contact_role = forms.CharField(max_length=100, required=False)
    contact_language = forms.ChoiceField(choices=Contact.Language.choices, required=False)
    contact_accepts_checkins = forms.CharField(required=False)

    def __init__(self, *args, staff: dict[str, Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff

    def clean_website(self):
        website = self.cleaned_data.get("website", "")
        raw = (self.data.get("website") or "").strip()
        if raw and not raw.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Enter a web address starting with http:// or https://."))
        return website

    def _user(self, field: str):
        username = (self.cleaned_data.get(field) or "").strip()
        if not username:
            return None
        user = self.staff.get(username.lower())
        if user is None:
            raise forms.ValidationError(_("No active staff member has the username “%(name)s”.") % {"name": username})
        return user

    def clean_account_owner(self):
        return self._user("account_owner")

    def clean_backup_owner(self):
        return self._user("backup_owner")

    def clean_contact_accepts_checkins(self):
        value = (self.cleaned_data.get("contact_accepts_checkins") or "").strip().lower()
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise forms.ValidationError(_("Write yes or no."))

    def clean(self):
        cleaned = super().clean()
        owner, backup = cleaned.get("account_owner"), cleaned.get("backup_owner")
        if owner and backup and owner == backup:
            self.add_error("backup_owner", _("The backup owner must be someone other than the account owner."))
        contact_values = [
            cleaned.get(f) for f in ("contact_email", "contact_phone", "contact_kakao_id", "contact_role")
        ]
        if not cleaned.get("contact_name") and any(contact_values):
            self.add_error("contact_name", _("Give the contact a name."))
        return cleaned


def _unescape(value: str | None) -> str:
    """Undo our own export's formula escaping ('+82 ... -> +82 ...), so exports re-import."""
    value = (value or "").strip()
    if value.startswith("'") and value[1:2] in FORMULA_PREFIXES and value[1:2]:
        return value[1:]
    return value


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict[str, Any] | None = None


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_errors: list[str]
    plans: list[import_plan.ClientPlan] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(not row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)

    @property
    def client_count(self) -> int:
        return len(self.plans) if self.plans else len({row.values.get("name", "").strip() for row in self.rows})

    def count(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def created_count(self) -> int:
        return self.count("create")

    @property
    def updated_count(self) -> int:
        return self.count("update")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def digest(self) -> str:
        return import_plan.plans_digest(self.plans)


def import_preview(text: str) -> ImportPreview:
    """Validate every row (one query for staff, one for existing names); writes nothing."""
    reader = csv.DictReader(io.StringIO(text))
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if not headers:
        return ImportPreview(rows=[], file_errors=[_("The file is empty.")])
    missing = [c for c in ("name", "account_owner") if c not in headers]
    unknown = [h for h in headers if h and h not in COLUMN_NAMES]
    file_errors = []
    if missing:
        file_errors.append(_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        file_errors.append(_("Unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
    if file_errors:
        return ImportPreview(rows=[], file_errors=file_errors)
    reader.fieldnames = headers
    staff = {u.username.lower(): u for u in get_user_model().objects.filter(is_active=True)}
    rows: list[ImportRow] = []
    try:
        _read_rows(reader, staff, rows, file_errors)
    except csv.Error:
        # Python's own limit for a cell (131,072 characters), hit while the line is being read.
        file_errors.append(_cell_too_long(reader.line_num + 1))
        rows = []
    if file_errors and not rows:
        return ImportPreview(rows=[], file_errors=file_errors)
    if not rows and not file_errors:
        file_errors.append(_("The file has no rows."))
    _check_client_consistency(rows)
    existing = _match_existing(rows)
    preview = ImportPreview(rows=rows, file_errors=file_errors)
    if preview.is_valid:
        preview.plans = import_plan.build_plans(rows, set(headers), existing)
    return preview


def _cell_too_long(line: int) -> str:
    return _("Line %(line)s: a cell is longer than %(max)s characters.") % {
        "line": line,
        "max": f"{MAX_CELL_LENGTH:,}",
    }


def _read_rows(reader, staff, rows: list[ImportRow], file_errors: list[str]) -> None:
    for raw in reader:
        if len(rows) >= MAX_IMPORT_ROWS:
            file_errors.append(_("Import at most %(n)s rows at a time.") % {"n": MAX_IMPORT_ROWS})
            break
        if None in raw:
            values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
            row = ImportRow(line=reader.line_num, values=values, errors=[_("This row has more cells than headers.")])
            rows.append(row)
            continue
        values = {k: _unescape(v) for k, v in raw.items()}
        if not any(values.values()):
            continue
        if any(len(value) > MAX_CELL_LENGTH for value in values.values()):
            file_errors.append(_cell_too_long(reader.line_num))
            rows.clear()
            return
        row = ImportRow(line=reader.line_num, values=values)
        with_nul = [column for column, value in values.items() if "\x00" in value]
        if with_nul:
            row.errors.extend(
                _("%(column)s: holds a NUL character; save the file again as plain CSV text.") % {"column": column}
                for column in with_nul
            )
            rows.append(row)
            continue
        form = ImportRowForm(values, staff=staff)
        if form.is_valid():
            row.cleaned = form.cleaned_data
        else:
            for name, errors in form.errors.items():
                label = name if name != "__all__" else _("row")
                row.errors.extend(f"{label}: {error}" for error in errors)
        rows.append(row)


def _match_existing(rows: list[ImportRow]) -> dict[int, Client]:
    """Clients the rows' ids name (2 queries with their tags and contacts, + 1 for new names);
    unknown ids and new clients whose name is taken become row errors."""
    ids = {row.cleaned["id"] for row in rows if row.cleaned and row.cleaned.get("id")}
    existing = {
        client.pk: client
        for client in Client.objects.filter(pk__in=ids, is_placeholder=False)
        .select_related("account_owner", "backup_owner")
        .prefetch_related("tags", "contacts")
    }
    # Rows with a NUL already have an error, and PostgreSQL cannot compare text holding one.
    new_names = {
        r.values.get("name", "")
        for r in rows
        if not (r.cleaned and r.cleaned.get("id")) and "\x00" not in r.values.get("name", "")
    }
    taken = set(Client.objects.filter(name__in=new_names).values_list("name", flat=True)) if new_names else set()
    for row in rows:
        client_id = row.cleaned.get("id") if row.cleaned else None
        if client_id and client_id not in existing:
            row.errors.append(_("id: no client has the id %(id)s.") % {"id": client_id})
        elif not client_id and row.values.get("name") in taken:
            row.errors.append(
                _(
                    "name: a client with this name already exists. To update it, import a file exported "
                    "from the client list (its id column says which client a row is)."
                )
            )
    return existing


def _check_client_consistency(rows: list[ImportRow]) -> None:
    """Rows of one client must agree on the client's own columns."""
    first: dict[str, ImportRow] = {}
    client_columns = ["kind", "status", "response_tier", "account_owner", "backup_owner", "website", "tags", "notes"]
    for row in rows:
        key = import_plan.group_key(row) if row.cleaned else f"name:{row.values.get('name', '').strip()}"
        if key not in first:
            first[key] = row
            continue
        base = first[key]
        if key.startswith("id:"):
            client_columns = ["name", *client_columns]
        for column in client_columns:
            value = row.values.get(column, "")
            if value and value != base.values.get(column, ""):
                row.errors.append(
                    _("%(column)s: differs from line %(line)s of the same client.")
                    % {"column": column, "line": base.line}
                )


@transaction.atomic
def import_apply(*, preview: ImportPreview, actor) -> dict[str, int]:
    """Create and update every client and contact of a valid preview, in one transaction, through
    the services (each change on the client's timeline). Returns {"created": n, "updated": n}."""
    if not preview.is_valid:
        raise ImportFileError(_("Fix every error before importing."))
    return import_plan.apply_plans(preview.plans, actor=actor)


def neutralise_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: formulas (= + - @, tab, CR) get a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def export_csv_lines(rows):
    """Yield CSV lines (with a BOM first, so Excel reads UTF-8) for (client, contact) pairs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    yield "\ufeff"
    writer.writerow(COLUMN_NAMES)
    yield flush()
    for client, contact in rows:
        values = [
            client.pk,
            client.name,
            client.kind,
            client.status,
            client.response_tier,
            client.account_owner.username,
            client.backup_owner.username if client.backup_owner else "",
            client.website,
            "; ".join(tag.name for tag in client.tags.all()),
            client.notes,
        ]
        if contact is None:
            values += [""] * 7
        else:
            values += [
                contact.name,
                contact.email,
                contact.phone,
                contact.kakao_id,
                contact.role,
                contact.preferred_language,
                "yes" if contact.accepts_checkins else "no",
            ]
        writer.writerow([neutralise_cell(v) for v in values])
        yield flush()
