"""/settings/mailbox/ (managers): connect the support mailbox, test it, see the last poll."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency_crm.roles import manager_required

from .forms import MailboxForm
from .imap import mailbox_connection_test
from .mailbox import mailbox_config, mailbox_connection_remove, mailbox_connection_save
from .models import MailboxConnection, MailboxState


def _initial(config) -> dict:
    if config is None:
        return {}
    security = (
        MailboxConnection.Security.SSL
        if config.use_ssl
        else MailboxConnection.Security.STARTTLS
        if config.starttls
        else MailboxConnection.Security.NONE
    )
    return {
        "host": config.host,
        "port": config.port,
        "security": security,
        "username": config.user,
        "folder": config.folder,
        "poll_seconds": config.poll_seconds,
    }


def _page(request, form, *, outcome=None, status=200):
    stored = MailboxConnection.objects.filter(pk=1).first()
    config = mailbox_config()
    context = {
        "form": form,
        "stored": stored,
        "config": config,
        "state": MailboxState.objects.filter(pk=1).first(),
        "outcome": outcome,
    }
    return render(request, "followups/mailin/mailbox_settings.html", context, status=status)


@manager_required
def mailbox_settings(request):
    stored = MailboxConnection.objects.filter(pk=1).exists()
    if request.method == "POST":
        form = MailboxForm(request.POST, password_stored=stored)
        if not form.is_valid():
            return _page(request, form)
        mailbox_connection_save(**form.cleaned_data, by=request.user)
        outcome = mailbox_connection_test()
        if outcome.ok:
            messages.success(request, _("The mailbox is saved. %(result)s") % {"result": outcome.message})
        else:
            messages.error(
                request, _("The mailbox is saved, but the connection failed: %(reason)s") % {"reason": outcome.message}
            )
        return redirect("followups:mailbox_settings")
    return _page(request, MailboxForm(initial=_initial(mailbox_config()), password_stored=stored))


@manager_required
@require_POST
def mailbox_test(request):
    """*Test the connection*: log in to the mailbox the poller reads and count its messages."""
    outcome = mailbox_connection_test()
    stored = MailboxConnection.objects.filter(pk=1).exists()
    form = MailboxForm(initial=_initial(mailbox_config()), password_stored=stored)
    return _page(request, form, outcome=outcome)


@manager_required
@require_POST
def mailbox_disconnect(request):
    mailbox_connection_remove(by=request.user)
    messages.success(request, _("The mailbox connected here is removed."))
    return redirect("followups:mailbox_settings")
