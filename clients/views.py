from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors
from agency_crm.people import display_name
from agency_crm.roles import is_manager, manager_required

from . import csv_io, notes, offboarding, selectors, services
from . import search as search_registry
from .forms import (
    ClientFilterForm,
    ClientForm,
    ContactForm,
    ImportUploadForm,
    NoteEditForm,
    NoteForm,
    OffboardingForm,
    OptionalContactForm,
)
from .models import Client, Contact, Note

IMPORT_SESSION_KEY = "clients_import_csv"


def permission_required(perm: str):
    """Inside manager_required: the manager role must also hold `perm` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _get_client(pk: int) -> Client:
    try:
        return selectors.client_detail(pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


# --- list, export ------------------------------------------------------------------------------
def _filtered(request):
    form = ClientFilterForm(request.GET or None)
    filters = {"owner": None, "status": "", "tag": None, "sort": selectors.DEFAULT_SORT}
    if form.is_bound and form.is_valid():
        filters.update({k: v for k, v in form.cleaned_data.items() if v})
    return form, filters


def client_list(request):
    form, filters = _filtered(request)
    page = selectors.client_list_page(page_number=params.page(request.GET), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clients/client_list.html",
        {"page": page, "filter_form": form, "querystring": query.urlencode()},
    )


def client_export(request):
    _form, filters = _filtered(request)
    rows = selectors.client_export_rows(selectors.client_list_queryset(**filters))
    response = StreamingHttpResponse(csv_io.export_csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="clients-{stamp}.csv"'
    return response


# --- create, detail, edit ----------------------------------------------------------------------
def client_create(request):
    form = ClientForm(request.POST or None, initial={"account_owner": request.user})
    contact_form = OptionalContactForm(request.POST or None, prefix="contact")
    if request.method == "POST" and form.is_valid() and contact_form.is_valid():
        contacts = [] if contact_form.is_empty() else [contact_form.values()]
        try:
            client = services.client_create(
                actor=request.user, tags=form.tag_names(), contacts=contacts, **form.changes()
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Client created."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "contact_form": contact_form})


def client_detail(request, pk: int):
    client = _get_client(pk)
    timeline = selectors.client_timeline_page(client=client, page_number=params.page(request.GET))
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "timeline": timeline,
            "note_form": NoteForm(initial={"kind": Note.Kind.NOTE}),
            "call_form": NoteForm(initial={"kind": Note.Kind.CALL}, prefix="call"),
            "can_archive": request.user.has_perm("agency_crm.archive_clients"),
            # Notes are changed by their author (the event's actor) or a manager.
            "can_change_any_note": is_manager(request.user),
            "note_event_kinds": notes.NOTE_EVENT_KINDS,
        },
    )


def client_edit(request, pk: int):
    client = get_object_or_404(Client, pk=pk)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST":
        form.refuse_forged_owner_changes()
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                client=Client.objects.get(pk=pk), actor=request.user, changes=form.changes(), tags=form.tag_names()
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Client saved."))
            return redirect("clients:detail", pk=pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@require_POST
def note_add(request, pk: int):
    client = get_object_or_404(Client, pk=pk)
    prefix = "call" if "call-body" in request.POST else None
    form = NoteForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.note_add(
                client=client, author=request.user, body=form.cleaned_data["body"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            kind = form.cleaned_data["kind"]
            messages.success(request, _("Call logged.") if kind == Note.Kind.CALL else _("Note added."))
    else:
        messages.error(request, _("The note was not saved: write some text first."))
    return redirect("clients:detail", pk=pk)


def _changeable_note(request, pk: int, note_pk: int) -> Note:
    note = get_object_or_404(Note, pk=note_pk, client_id=pk)
    if not notes.note_may_change(note=note, user=request.user):
        raise PermissionDenied
    return note


def note_edit(request, pk: int, note_pk: int):
    note = _changeable_note(request, pk, note_pk)
    form = NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            notes.note_edit(note=note, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Note saved."))
            return redirect(reverse("clients:detail", args=[pk]) + f"#note-{note.pk}")
    return render(request, "clients/note_form.html", {"form": form, "note": note, "client": note.client})


@require_POST
def note_delete(request, pk: int, note_pk: int):
    note = _changeable_note(request, pk, note_pk)
    notes.note_delete(note=note, actor=request.user)
    messages.success(request, _("Note deleted. The timeline keeps a record of it."))
    return redirect("clients:detail", pk=pk)


def contact_add(request, pk: int):
    client = get_object_or_404(Client, pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(client=client, actor=request.user, **form.values())
        messages.success(request, _("Contact added."))
        return redirect("clients:detail", pk=pk)
    return render(request, "clients/contact_form.html", {"form": form, "client": client})


def contact_edit(request, pk: int, contact_pk: int):
    contact = get_object_or_404(Contact.objects.select_related("client"), pk=contact_pk, client_id=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=Contact.objects.get(pk=contact.pk), actor=request.user, changes=form.values())
        messages.success(request, _("Contact saved."))
        return redirect("clients:detail", pk=pk)
    return render(request, "clients/contact_form.html", {"form": form, "client": contact.client, "contact": contact})


@require_POST
def contact_links_revoke(request, pk: int, contact_pk: int):
    contact = get_object_or_404(Contact.objects.select_related("client"), pk=contact_pk, client_id=pk)
    services.contact_links_revoke(contact=contact, actor=request.user)
    messages.success(request, _("Every self-service link of this contact is signed out."))
    return redirect("clients:detail", pk=pk)


@manager_required
@permission_required("agency_crm.archive_clients")
@require_POST
def client_archive(request, pk: int):
    client = get_object_or_404(Client, pk=pk)
    if services.client_archive(client=client, actor=request.user):
        messages.success(request, _("Client archived. It no longer appears in lists and search."))
    return redirect("clients:detail", pk=pk)


@manager_required
@permission_required("agency_crm.archive_clients")
@require_POST
def client_restore(request, pk: int):
    client = get_object_or_404(Client, pk=pk)
    if services.client_restore(client=client, actor=request.user):
        messages.success(request, _("Client restored."))
    return redirect("clients:detail", pk=pk)


# --- import ------------------------------------------------------------------------------------
def client_import(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > csv_io.MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is too large (2 MB at most)."))
        else:
            try:
                text = csv_io.decode_csv_bytes(upload.read())
            except csv_io.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                preview = csv_io.import_preview(text)
                _remember_preview(request, text, preview)
    return render(request, "clients/client_import.html", {"form": form, "preview": preview, "columns": csv_io.COLUMNS})


def _remember_preview(request, text: str, preview) -> None:
    """The file and a fingerprint of the changes shown: the confirmation applies exactly those."""
    if preview.is_valid:
        request.session[IMPORT_SESSION_KEY] = {"text": text, "digest": preview.digest}
    else:
        request.session.pop(IMPORT_SESSION_KEY, None)


@require_POST
def client_import_confirm(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not isinstance(stored, dict) or not stored.get("text"):
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("clients:import")
    preview = csv_io.import_preview(stored["text"])
    if not preview.is_valid or preview.digest != stored.get("digest"):
        # Something changed since the preview (a client was edited or created meanwhile): show
        # the changes as they are now and let the user confirm those.
        _remember_preview(request, stored["text"], preview)
        if preview.is_valid:
            messages.warning(request, _("The clients changed since the preview; check the changes below again."))
        return render(
            request,
            "clients/client_import.html",
            {"form": ImportUploadForm(), "preview": preview, "columns": csv_io.COLUMNS},
        )
    counts = csv_io.import_apply(preview=preview, actor=request.user)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request,
        _("Import done: %(created)s clients created, %(updated)s updated.")
        % {"created": counts["created"], "updated": counts["updated"]},
    )
    return redirect("clients:list")


# --- search ------------------------------------------------------------------------------------
def search(request):
    query = search_registry.normalize_query(params.text(request.GET, "q"))
    groups = search_registry.search_all(query) if query else []
    return render(request, "clients/search.html", {"query": query, "groups": groups})


# --- staff offboarding (managers) --------------------------------------------------------------
@manager_required
@permission_required("agency_crm.manage_staff")
def staff_list(request):
    staff = list(get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"))
    return render(request, "clients/staff_list.html", {"staff": staff})


@manager_required
@permission_required("agency_crm.manage_staff")
@permission_required("agency_crm.reassign_work")
def staff_offboard(request, user_pk: int):
    """List everything the person owns; choose who takes it over; confirm; hand over; deactivate
    when nothing is left (otherwise the person stays active and the page lists what remains)."""
    person = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    if person.pk == request.user.pk:
        raise PermissionDenied
    form = OffboardingForm(request.POST or None, leaving_user=person)
    confirming = False
    if request.method == "POST":
        valid = form.is_valid()
        # The receiver is chosen: confirm (again, with the new backup's error when there is one).
        confirming = getattr(form, "cleaned_data", {}).get("to_user") is not None
        if valid and request.POST.get("confirm"):
            try:
                result = offboarding.staff_offboard(
                    user=person,
                    to_user=form.cleaned_data["to_user"],
                    actor=request.user,
                    new_backup=form.cleaned_data["new_backup"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return _after_offboarding(request, person, form.cleaned_data["to_user"], result)
    work = [
        (provider, provider.items_for(person)) for provider in offboarding.providers() if provider.count_for(person)
    ]
    context = {"person": person, "form": form, "work": work, "confirming": confirming}
    if confirming:
        to_user = form.cleaned_data["to_user"]
        form.backup_choices_for(to_user)
        context["to_user"] = to_user
        context["item_count"] = sum(len(items) for _provider, items in work)
        context["backups_lost"] = [
            (client.label, reverse("clients:detail", args=[client.pk]))
            for client in offboarding.backups_lost(user=person, to_user=to_user).only("id", "name", "is_placeholder")
        ]
    return render(request, "clients/staff_offboard.html", context)


def _after_offboarding(request, person, to_user, result):
    handed = sum(result.moved.values())
    if result.deactivated:
        messages.success(
            request,
            _("%(name)s was deactivated; %(count)s items were handed over to %(to)s.")
            % {"name": display_name(person), "count": handed, "to": display_name(to_user)},
        )
        return redirect("clients:staff")
    left = sum(count for _provider, count in result.remaining)
    messages.warning(
        request,
        _(
            "%(count)s items were handed over to %(to)s, but %(left)s could not be: %(name)s stays active "
            "until they are. They are listed below."
        )
        % {"count": handed, "to": display_name(to_user), "left": left, "name": display_name(person)},
    )
    for error in result.errors:
        messages.error(request, error)
    return redirect("clients:staff_offboard", user_pk=person.pk)
