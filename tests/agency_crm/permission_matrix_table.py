"""What every persona gets from every URL: the expectation table of test_permission_matrix.py.

Each entry is one Case (or a list of them, e.g. an email to the customer and an internal one) with
the expected status per persona for GET (HEAD gets the same, or 405 where a view takes GET only),
and for POST where the URL takes one, with the data posted (built per persona: "take it" posts
the poster's own id). Statuses: a number, L (to the login page), A (to the admin's login page),
R (a redirect elsewhere), - (not posted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

PERSONAS = ("anonymous", "staff", "owner", "backup", "manager")

# Shorthands for the common rows.
STAFF_PAGE = "L 200 200 200 200"  # every colleague, nobody anonymous
MANAGER_PAGE = "L 403 403 403 200"
POST_ONLY = "L 405 405 405 405"  # GET on a POST-only staff URL
ALL_REDIRECT = "L R R R R"
PUBLIC = "200 200 200 200 200"
# The API in the browsable API's pages: 401 without a session (never the login page).
API = "?format=api"
API_READ = "401 200 200 200 200"
API_CREATED = "401 201 201 201 201"
API_NO_POST = "401 405 405 405 405"
API_POST_ONLY = "401 405 405 405 405"


@dataclass(frozen=True)
class Case:
    get: str
    kwargs: Callable = lambda w: {}
    post: str | None = None
    data: Callable | None = None
    query: str = ""
    # For a pattern without a name (reverse() cannot build it): the path itself.
    path: Callable | None = None
    # HEAD's statuses where they differ from GET's (otherwise GET's, or 405).
    head: str | None = None
    # Tables a GET may write, each with its reason where the case is defined.
    get_writes: frozenset[str] = field(default_factory=frozenset)


def _contact_form():
    from followups.webform.spam import fill_token

    return {
        "name": "Visitor",
        "email": "visitor@web.example",
        "message": "Hello",
        "consent": "on",
        "started": fill_token(),  # just shown: too fast, so the form comes back to be sent again
    }


def _pk(user):
    return user.pk if user is not None else ""


def _client_form(w, user):
    """The client's edit form, with the poster making themself account owner."""
    return {
        "name": "Blue Harbor",
        "kind": "company",
        "status": "active",
        "response_tier": "standard",
        "account_owner": _pk(user),
        "backup_owner": w.backup.pk,
        "website": "",
        "notes": "",
        "tags_text": "",
    }


def _inquiry_form(w, user):
    """The inquiry's edit form, with the poster making themself its owner."""
    return {"title": "Booking app", "contact": w.contact.pk, "source": "email", "problem": "p", "owner": _pk(user)}


def _article_version(w):
    """The article's latest version (an edit from an older one is refused)."""
    from followups.knowledge.models import Article

    return Article.objects.get(pk=w.article.pk).version


def _take(w, user):
    return {"owner": _pk(user)}


def _new_client(w, user):
    return {**_client_form(w, user), "name": "New prospect", "backup_owner": "", "contact-preferred_language": "en"}


def _new_inquiry(w, user):
    return {"title": "New", "client": w.client.pk, "source": "email", "problem": "p", "owner": _pk(user)}


def _contact(w, user):
    return {"name": "Jisoo", "email": "jisoo@customer.example", "preferred_language": "ko"}


def _item(w, user):
    return {
        "title": "Search",
        "priority": "should",
        "phase": "first",
        "optimistic_hours": 1,
        "likely_hours": 2,
        "pessimistic_hours": 3,
    }


def _now_local():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _data(values: dict) -> Callable:
    return lambda w, user: values


def conversation(w):
    return {"pk": w.conversation.pk}


def client(w):
    return {"pk": w.client.pk}


def inquiry(w):
    return {"pk": w.inquiry.pk}


def checkin(w):
    return {"pk": w.checkin.pk}


def growth_item(w):
    return {"pk": w.growth_item.pk}


EXPECTED: dict[str, Case | list[Case]] = {
    # --- the project: home, health, outbox, accounts, language ---
    "home": Case(STAFF_PAGE),
    "healthz": Case(PUBLIC),
    # The icon browsers ask for whatever a page links.
    "favicon": Case(PUBLIC),
    # Hiding the first-run checklist of the home page (managers see it).
    "checklist_dismiss": Case("L 403 403 403 405", post="L 403 403 403 R"),
    "outbox_list": Case(STAFF_PAGE),
    "outbox_detail": [
        Case(STAFF_PAGE, lambda w: {"email_id": w.customer_email.pk}),
        # The managers' weekly review: hidden (404) from staff.
        Case("L 404 404 404 200", lambda w: {"email_id": w.internal_email.pk}),
    ],
    "outbox_html": [  # the HTML part, for the preview's sandboxed frame: the same visibility
        Case(STAFF_PAGE, lambda w: {"email_id": w.customer_email.pk}),
        Case("L 404 404 404 200", lambda w: {"email_id": w.internal_email.pk}),
    ],
    "outbox_retry": [
        Case(POST_ONLY, lambda w: {"email_id": w.customer_email.pk}, post=ALL_REDIRECT),
        Case(POST_ONLY, lambda w: {"email_id": w.internal_email.pk}, post="L 404 404 404 R"),
    ],
    "login": Case(PUBLIC, post=PUBLIC, data=_data({"username": "nobody", "password": "wrong"})),
    "logout": Case("L 405 405 405 405", post="L L L L L"),  # then to the login page
    "password_change": Case(STAFF_PAGE, post=STAFF_PAGE),
    "password_change_done": Case(STAFF_PAGE),
    "password_reset": Case(PUBLIC, post="R R R R R", data=_data({"email": "owner@agency.example"})),
    "password_reset_done": Case(PUBLIC),
    "password_reset_confirm": Case(
        "R R R R R",
        lambda w: {"uidb64": w.reset_uid, "token": w.reset_token},
        post="R R R R R",
        # Django keeps a valid reset token in the visitor's session and redirects to a URL
        # without it (so the token cannot leak through the Referer): the visitor's own state.
        get_writes=frozenset({"django_session"}),
    ),
    "password_reset_complete": Case(PUBLIC),
    "set_language": Case("R R R R R", post="R R R R R", data=_data({"language": "ko", "next": "/"})),
    # Everyone's own settings; everyone's settings for managers.
    "preferences:edit": Case(
        STAFF_PAGE,
        post=ALL_REDIRECT,
        data=_data({"language": "ko", "name_order": "auto", "email_interval_minutes": "60", "signature": "—"}),
    ),
    # The team (agency_crm.team): managers invite, change roles, deactivate, require two factors.
    "team:people": Case(MANAGER_PAGE),
    "team:invite": Case(
        MANAGER_PAGE,
        post="L 403 403 403 R",
        data=_data({"email": "new@agency.example", "role": "staff", "language": "ko"}),
    ),
    "team:invitation_resend": Case("L 403 403 403 405", lambda w: {"pk": w.invitation.pk}, post="L 403 403 403 R"),
    "team:invitation_cancel": Case("L 403 403 403 405", lambda w: {"pk": w.invitation.pk}, post="L 403 403 403 R"),
    "team:role": Case(
        "L 403 403 403 405", lambda w: {"user_pk": w.leaver.pk}, post="L 403 403 403 R", data=_data({"role": "manager"})
    ),
    "team:deactivate": Case(MANAGER_PAGE, lambda w: {"user_pk": w.leaver.pk}, post="L 403 403 403 R"),
    "team:twofactor_reset": Case("L 403 403 403 405", lambda w: {"user_pk": w.leaver.pk}, post="L 403 403 403 R"),
    "team:policy": Case("L 403 403 403 405", post="L 403 403 403 R"),
    "team:audit": Case(MANAGER_PAGE),
    # Outgoing webhooks (agency_crm.webhooks): managers only. A new endpoint's URL is a public
    # address (no DNS lookup needed); the secret page answers the POST itself (200).
    "webhooks:list": Case(MANAGER_PAGE),
    "webhooks:create": Case(
        MANAGER_PAGE,
        post="L 403 403 403 200",
        data=_data({"url": "https://93.184.216.34/hooks", "events": ["client.created"]}),
    ),
    "webhooks:detail": Case(MANAGER_PAGE, lambda w: {"pk": w.webhook_endpoint.pk}),
    "webhooks:edit": Case(
        MANAGER_PAGE,
        lambda w: {"pk": w.webhook_endpoint.pk},
        post="L 403 403 403 R",
        data=_data({"url": "https://93.184.216.34/other", "events": ["client.updated"]}),
    ),
    "webhooks:rotate": Case("L 403 403 403 405", lambda w: {"pk": w.webhook_endpoint.pk}, post="L 403 403 403 200"),
    "webhooks:ping": Case("L 403 403 403 405", lambda w: {"pk": w.webhook_endpoint.pk}, post="L 403 403 403 R"),
    "webhooks:enable": Case("L 403 403 403 405", lambda w: {"pk": w.webhook_endpoint.pk}, post="L 403 403 403 R"),
    "webhooks:delete": Case("L 403 403 403 405", lambda w: {"pk": w.webhook_endpoint.pk}, post="L 403 403 403 R"),
    "webhooks:delivery": Case(
        MANAGER_PAGE, lambda w: {"pk": w.webhook_endpoint.pk, "delivery_pk": w.webhook_delivery.pk}
    ),
    "webhooks:redeliver": Case(
        "L 403 403 403 405",
        lambda w: {"pk": w.webhook_endpoint.pk, "delivery_pk": w.webhook_delivery.pk},
        post="L 403 403 403 R",
    ),
    # The invitee's signed link (no login): accepting makes the account and logs it in.
    "team:accept": Case(
        PUBLIC,
        lambda w: {"token": w.invitation_token},
        post="R R R R R",
        data=_data(
            {
                "username": "newcomer",
                "first_name": "Dana",
                "last_name": "Yoon",
                "language": "en",
                "password1": "lantern-harbor-9341",
                "password2": "lantern-harbor-9341",
            }
        ),
    ),
    # Everyone's own two-factor sign-in; the set-up page sends back when nothing waits to be set up.
    "team:twofactor": Case(STAFF_PAGE),
    "team:twofactor_start": Case(POST_ONLY, post=ALL_REDIRECT),
    "team:twofactor_setup": Case("L R R R R", post="L R R R R"),
    "team:twofactor_recovery_codes": Case(POST_ONLY, post=ALL_REDIRECT),
    "team:twofactor_off": Case(POST_ONLY, post=ALL_REDIRECT),
    # The code step of the login: without a password just passed, back to the login page.
    "team:login_code": Case("L L L L L", post="L L L L L"),
    # --- clients ---
    "clients:list": Case(STAFF_PAGE),
    "clients:create": Case(STAFF_PAGE, post=ALL_REDIRECT, data=_new_client),
    "clients:export": Case(STAFF_PAGE),
    "clients:import": Case(STAFF_PAGE, post=STAFF_PAGE),
    "clients:import_confirm": Case(POST_ONLY, post=ALL_REDIRECT),
    "clients:detail": Case(STAFF_PAGE, client),
    # Only the account owner and managers may make someone else the account owner.
    "clients:edit": Case(STAFF_PAGE, client, post="L 403 R 403 R", data=_client_form),
    "clients:note_add": Case(POST_ONLY, client, post=ALL_REDIRECT, data=_data({"body": "Called back"})),
    # A note is changed or deleted by its author (the owner here) or a manager.
    "clients:note_edit": Case(
        "L 403 200 403 200",
        lambda w: {"pk": w.client.pk, "note_pk": w.note.pk},
        post="L 403 R 403 R",
        data=_data({"body": "Prefers email"}),
    ),
    "clients:note_delete": Case(POST_ONLY, lambda w: {"pk": w.client.pk, "note_pk": w.note.pk}, post="L 403 R 403 R"),
    "clients:contact_add": Case(STAFF_PAGE, client, post=ALL_REDIRECT, data=_contact),
    "clients:contact_edit": Case(
        STAFF_PAGE, lambda w: {"pk": w.client.pk, "contact_pk": w.contact.pk}, post=ALL_REDIRECT, data=_contact
    ),
    "clients:contact_links_revoke": Case(
        POST_ONLY, lambda w: {"pk": w.client.pk, "contact_pk": w.contact.pk}, post=ALL_REDIRECT
    ),
    "clients:archive": Case("L 403 403 403 405", client, post="L 403 403 403 R"),
    "clients:restore": Case("L 403 403 403 405", client, post="L 403 403 403 R"),
    "clients:search": Case(STAFF_PAGE, query="?q=Blue"),
    "clients:staff": Case(MANAGER_PAGE),
    "clients:staff_offboard": Case(MANAGER_PAGE, lambda w: {"user_pk": w.leaver.pk}, post=MANAGER_PAGE),
    # --- inquiries ---
    # The pipeline board: everyone sees it; a card moves for its owner and managers; stages and
    # lost reasons are the managers' (an empty POST is an invalid form).
    "board:board": Case(STAFF_PAGE),
    "board:move": Case(POST_ONLY, inquiry, post="L 403 R 403 R", data=_data({"status": "on_hold"})),
    "board:settings": Case(MANAGER_PAGE, post="L 403 403 403 400"),
    "inquiries:list": Case(STAFF_PAGE),
    "inquiries:create": Case(STAFF_PAGE, post=ALL_REDIRECT, data=_new_inquiry),
    "inquiries:detail": Case(STAFF_PAGE, inquiry),
    # Only the inquiry's owner and managers may hand it to someone else.
    "inquiries:edit": Case(STAFF_PAGE, inquiry, post="L 403 R 403 R", data=_inquiry_form),
    "inquiries:status": Case(POST_ONLY, inquiry, post=ALL_REDIRECT, data=_data({"status": "discovery"})),
    "inquiries:discovery": Case(POST_ONLY, inquiry, post=ALL_REDIRECT),
    "inquiries:delivered": Case(POST_ONLY, inquiry, post="L 400 400 400 400"),  # not won yet
    "inquiries:item_add": Case(POST_ONLY, inquiry, post=ALL_REDIRECT, data=_item),
    "inquiries:item_edit": Case(
        STAFF_PAGE, lambda w: {"pk": w.inquiry.pk, "item_id": w.item.pk}, post=ALL_REDIRECT, data=_item
    ),
    "inquiries:item_delete": Case(POST_ONLY, lambda w: {"pk": w.inquiry.pk, "item_id": w.item.pk}, post=ALL_REDIRECT),
    "inquiries:item_move": Case(
        POST_ONLY,
        lambda w: {"pk": w.inquiry.pk, "item_id": w.item.pk},
        post=ALL_REDIRECT,
        data=_data({"direction": "down"}),
    ),
    "inquiries:proposal_send": Case(POST_ONLY, inquiry, post=ALL_REDIRECT),
    "inquiries:proposal": Case(STAFF_PAGE, lambda w: {"pk": w.inquiry.pk, "number": w.proposal.number}),
    # The customer's signed proposal link (no login).
    "inquiries:public_proposal": Case(PUBLIC, lambda w: {"token": w.proposal_token}),
    "inquiries:public_proposal_accept": Case(
        "405 405 405 405 405", lambda w: {"token": w.proposal_token}, post="R R R R R", data=_data({"name": "Emma"})
    ),
    # --- conversations ---
    "followups:inbox": Case(STAFF_PAGE),
    "followups:quick_log": Case(POST_ONLY, post="L 400 400 400 400"),
    # Only the colleague who logged the message may move it (the world's message was not logged).
    "followups:log_to_new_conversation": Case(POST_ONLY, lambda w: {"pk": w.message.pk}, post="L 404 404 404 404"),
    "followups:contact_search": Case(STAFF_PAGE, query="?q=Emma"),
    "followups:conversations": Case(STAFF_PAGE),
    "followups:conversation": Case(STAFF_PAGE, conversation),
    "followups:reply": Case(
        POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"channel": "email", "body": "It is live."})
    ),
    # Without htmx the preview gives the conversation page back with the draft (400: not previewed).
    "followups:reply_preview": Case(
        POST_ONLY, conversation, post="L 400 400 400 400", data=_data({"channel": "email", "body": "It is live."})
    ),
    "followups:presence": Case(POST_ONLY, conversation, post="L 200 200 200 200", data=_data({"state": "replying"})),
    "followups:customer_message": Case(
        POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"channel": "phone", "body": "Called again"})
    ),
    "followups:topics": Case(POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"topics": "menu, launch"})),
    # Only the conversation's owner and managers may hand it on.
    "followups:owner": Case(POST_ONLY, conversation, post="L 403 R 403 R", data=_take),
    "followups:note": Case(POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"body": "Ask Junho"})),
    "followups:subject": Case(POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"subject": "Menu, v2"})),
    # An internal note is changed or deleted by its author (the owner here) or a manager.
    "followups:internal_note_edit": Case(
        "L 403 200 403 200",
        lambda w: {"pk": w.internal_note.pk},
        post="L 403 R 403 R",
        data=_data({"body": "Ask about prices"}),
    ),
    "followups:internal_note_delete": Case(POST_ONLY, lambda w: {"pk": w.internal_note.pk}, post="L 403 R 403 R"),
    "followups:contact_email": Case(
        STAFF_PAGE,
        lambda w: {"pk": w.contact.pk},
        post=ALL_REDIRECT,
        data=_data({"subject": "Your menu", "body": "Here it is."}),
    ),
    "followups:portal_link_send": Case(POST_ONLY, lambda w: {"pk": w.contact.pk}, post=ALL_REDIRECT),
    "followups:no_reply": Case(POST_ONLY, conversation, post=ALL_REDIRECT, data=_data({"reason": "Said thanks"})),
    # Merging and moving a message out: a manager or the conversation's owner (not a mere
    # colleague, nor the client's backup owner). A target that is not among the choices is a 400.
    "followups:merge": Case("L 403 200 403 200", conversation, post="L 403 400 403 400", data=_data({"into": "x"})),
    "followups:message_move_out": Case(POST_ONLY, lambda w: {"pk": w.message.pk}, post="L 403 R 403 R"),
    "followups:message_time": Case(
        POST_ONLY, lambda w: {"pk": w.message.pk}, post=ALL_REDIRECT, data=lambda w, u: {"occurred_at": _now_local()}
    ),
    "followups:snooze": Case(
        STAFF_PAGE,
        conversation,
        post=ALL_REDIRECT,
        data=lambda w, u: {
            "until": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "call_back",
        },
    ),
    # --- post-sale care ---
    "followups:checkins": Case(STAFF_PAGE),
    "followups:checkin_start": Case(
        POST_ONLY,
        post=ALL_REDIRECT,
        data=lambda w, u: {"client": w.client.pk, "plan": w.checkin.schedule.plan_id, "started_on": dt.date.today()},
    ),
    "followups:checkin_detail": Case(STAFF_PAGE, checkin),
    "followups:growth_item_start": Case(
        STAFF_PAGE,
        growth_item,
        post=ALL_REDIRECT,
        data=lambda w, u: {"title": "Loyalty card", "source": "phone", "problem": "Wants it now"},
    ),
    "followups:growth_item_snooze": Case(
        POST_ONLY, growth_item, post=ALL_REDIRECT, data=lambda w, u: {"checkin": w.checkin.pk}
    ),
    "followups:growth_item_drop": Case(POST_ONLY, growth_item, post=ALL_REDIRECT),
    "followups:checkin_done": Case(POST_ONLY, checkin, post=ALL_REDIRECT, data=_data({"sentiment": "good"})),
    "followups:checkin_skip": Case(POST_ONLY, checkin, post=ALL_REDIRECT, data=_data({"reason": "Met them"})),
    # Only the check-in's owner and managers may hand it on.
    "followups:checkin_owner": Case(POST_ONLY, checkin, post="L 403 R 403 R", data=_take),
    # The customer's signed links: staff may not answer as the customer (a friendly 403).
    "followups:feedback": Case(
        "200 403 403 403 403",
        lambda w: {"token": w.feedback_token},
        post="200 403 403 403 403",
        data=_data({"rating": "great"}),
    ),
    "followups:unsubscribe": Case(PUBLIC, lambda w: {"token": w.unsubscribe_token}, post=PUBLIC),
    # The contact form and the self-service page: anyone, signed in or not (a colleague may try
    # them out); the filtered list and the form's settings are the managers'.
    "followups:contact": Case(PUBLIC, post="400 400 400 400 400", data=lambda w, u: _contact_form()),
    "followups:contact_embed": Case(PUBLIC, post="400 400 400 400 400", data=lambda w, u: _contact_form()),
    "followups:contact_thanks": Case(PUBLIC),
    "followups:contact_embed_thanks": Case(PUBLIC),
    "followups:contact_filtered": Case(MANAGER_PAGE),
    "followups:contact_filtered_release": Case(
        "L 403 403 403 405", lambda w: {"pk": w.web_submission.pk}, post="L 403 403 403 R"
    ),
    "followups:contact_settings": Case(
        MANAGER_PAGE, post="L 403 403 403 R", data=_data({"unknown_visitors": "prospect"})
    ),
    # Agency settings: managers only; a saved section redirects back to the page.
    "followups:agency_settings": Case(
        MANAGER_PAGE,
        post="L 403 403 403 R",
        data=_data({"section": "closure", "closure-date": "2031-01-02", "closure-reason": "Workshop"}),
    ),
    # The world's submission is filtered (spam): its files are the managers', like the list.
    "followups:contact_attachment": Case(MANAGER_PAGE, lambda w: {"pk": w.web_attachment.pk}),
    "followups:portal_ask": Case(PUBLIC, post=PUBLIC, data=lambda w, u: {"email": w.contact.email}),
    "followups:portal_home": Case(PUBLIC, lambda w: {"token": w.portal_token}),
    "followups:portal_write": Case(
        "405 405 405 405 405", lambda w: {"token": w.portal_token}, post="R R R R R", data=_data({"body": "Hello"})
    ),
    "followups:portal_reply": Case(
        "405 405 405 405 405",
        lambda w: {"token": w.portal_token, "pk": w.conversation.pk},
        post="R R R R R",
        data=_data({"body": "Thanks"}),
    ),
    # Saved replies: every colleague uses the shared ones; the author or a manager changes one.
    "followups:replies": Case(STAFF_PAGE),
    "followups:reply_new": Case(
        STAFF_PAGE, post=ALL_REDIRECT, data=_data({"title": "Hi", "body_en": "Hello", "shared": "on"})
    ),
    "followups:reply_edit": Case(
        "L 403 200 403 200",
        lambda w: {"pk": w.saved_reply.pk},
        post="L 403 R 403 R",
        data=_data({"title": "Thanks", "body_en": "Thanks!", "shared": "on"}),
    ),
    "followups:reply_delete": Case(POST_ONLY, lambda w: {"pk": w.saved_reply.pk}, post="L 403 R 403 R"),
    "followups:reply_fill": Case(
        POST_ONLY,
        lambda w: {"pk": w.conversation.pk},
        post="L 200 200 200 200",
        data=lambda w, u: {"saved_reply": w.saved_reply.pk},
    ),
    "followups:knowledge": Case(STAFF_PAGE),
    "followups:article_new": Case(STAFF_PAGE, post=ALL_REDIRECT, data=_data({"title": "FAQ", "body": "Answer"})),
    "followups:article": Case(STAFF_PAGE, lambda w: {"pk": w.article.pk}),
    "followups:article_edit": Case(
        STAFF_PAGE,
        lambda w: {"pk": w.article.pk},
        post=ALL_REDIRECT,
        data=lambda w, u: {"title": "Hosting", "body": f"AWS by {_pk(u)}", "base_version": _article_version(w)},
    ),
    "followups:article_history": Case(STAFF_PAGE, lambda w: {"pk": w.article.pk}),
    "followups:article_diff": Case(STAFF_PAGE, lambda w: {"pk": w.article.pk}),
    "followups:article_archive": Case(
        POST_ONLY, lambda w: {"pk": w.article.pk}, post="L 403 R 403 R", data=_data({"archived": "0"})
    ),
    "followups:article_clients": Case(
        POST_ONLY, lambda w: {"pk": w.article.pk}, post=ALL_REDIRECT, data=lambda w, u: {"client": w.client.pk}
    ),
    "followups:reply_suggestions": Case(STAFF_PAGE, conversation),
    "followups:weekly_review": Case(MANAGER_PAGE),
    "followups:weekly_review_week": Case(MANAGER_PAGE, lambda w: {"week": w.last_week.isoformat()}),
    # --- dashboard ---
    "followups:dashboard": Case(MANAGER_PAGE),
    "followups:dashboard_conversations": Case(MANAGER_PAGE),
    "followups:dashboard_pipeline": Case(MANAGER_PAGE),
    # --- notifications (the owner's own; someone else's is unknown: 404) ---
    "followups:notifications": Case(STAFF_PAGE),
    "followups:notification_count": Case(STAFF_PAGE),
    # --- tasks ---
    "followups:tasks": Case(STAFF_PAGE),
    "followups:task_count": Case(STAFF_PAGE),
    # Without what the task is about the form cannot be shown; anyone may add one for themself.
    "followups:task_create": Case(
        "L 400 400 400 400",
        post=ALL_REDIRECT,
        data=lambda w, u: {
            "about": "inquiry",
            "about_id": w.inquiry.pk,
            "title": "Call",
            "due_on": dt.date.today(),
            "assignee": _pk(u),
        },
    ),
    # A task is worked by its assignee (the owner here), whoever created it, and managers.
    "followups:task_edit": Case(
        "L 403 200 403 200",
        lambda w: {"pk": w.task.pk},
        post="L 403 R 403 R",
        data=lambda w, u: {"title": "Call Emma again", "due_on": dt.date.today(), "assignee": w.owner.pk},
    ),
    "followups:task_done": Case(POST_ONLY, lambda w: {"pk": w.task.pk}, post="L 403 R 403 R"),
    "followups:task_reopen": Case(POST_ONLY, lambda w: {"pk": w.task.pk}, post="L 403 R 403 R"),
    "followups:notification_open": Case(POST_ONLY, lambda w: {"pk": w.notification.pk}, post="L 404 R 404 404"),
    "followups:notifications_read_all": Case(POST_ONLY, post=ALL_REDIRECT),
    # --- received mail ---
    "followups:mail_list": Case(STAFF_PAGE),
    "followups:mail_detail": Case(STAFF_PAGE, lambda w: {"pk": w.inbound.pk}),
    "followups:mail_html": Case(STAFF_PAGE, lambda w: {"pk": w.inbound.pk}),
    "followups:mail_unknown_senders": Case(STAFF_PAGE),
    "followups:mail_attachment": Case(STAFF_PAGE, lambda w: {"pk": w.attachment.pk}),
    "followups:mail_failures": Case(STAFF_PAGE),
    "followups:mail_failure_download": Case(STAFF_PAGE, lambda w: {"pk": w.failure.pk}),
    # The support mailbox (managers): an empty form is shown again with its errors; without a
    # mailbox, *Test the connection* shows the page saying none is connected.
    "followups:mailbox_settings": Case(MANAGER_PAGE, post="L 403 403 403 200"),
    "followups:mailbox_test": Case("L 403 403 403 405", post="L 403 403 403 200"),
    "followups:mailbox_disconnect": Case("L 403 403 403 405", post="L 403 403 403 R"),
    "followups:mail_failure_retry": Case(POST_ONLY, lambda w: {"pk": w.failure.pk}, post=ALL_REDIRECT),
    # --- KakaoTalk: the provider's webhook answers only POST, and only at the channel's secret
    # path (none is connected in the world: 404 for everyone, logged in or not) ---
    "followups:kakao_inbound": Case(
        "405 405 405 405 405", lambda w: {"secret": "not-the-secret"}, post="404 404 404 404 404"
    ),
    # /settings/kakao/ (managers): an empty form saves "not connected"; Test without a provider
    # shows the page saying so; an empty template form comes back with its errors. The first
    # visit makes the channel's row with its webhook secret, which the page shows.
    "followups:kakao_settings": Case(
        MANAGER_PAGE, post="L 403 403 403 R", get_writes=frozenset({"followups_kakaochannel"})
    ),
    "followups:kakao_settings_test": Case("L 403 403 403 405", post="L 403 403 403 200"),
    "followups:kakao_webhook_rotate": Case("L 403 403 403 405", post="L 403 403 403 R"),
    "followups:kakao_template_add": Case("L 403 403 403 405", post="L 403 403 403 400"),
    "followups:kakao_template_delete": Case("L 403 403 403 405", lambda w: {"pk": 1}, post="L 403 403 403 R"),
    # A customer's photo from KakaoTalk (none in the world: 404 for every colleague).
    "followups:kakao_attachment": Case("L 404 404 404 404", lambda w: {"pk": 1}),
    # The conversation's KakaoTalk panel: any colleague (an empty form is refused with a message).
    "followups:kakao_alimtalk": Case(POST_ONLY, conversation, post=ALL_REDIRECT),
    "followups:kakao_preference": Case(POST_ONLY, conversation, post=ALL_REDIRECT),
    # Ending the chat: any colleague; the world has no chat, so it says so and redirects.
    "followups:kakao_chat_end": Case(POST_ONLY, conversation, post=ALL_REDIRECT),
    "followups:attach_sender": Case(
        POST_ONLY,
        lambda w: {"pk": w.triage_conversation.pk},
        post=ALL_REDIRECT,
        data=lambda w, u: {"contact": w.contact.pk},
    ),
    # --- the REST API (agency_crm.api): a token in production; here each persona's session in the
    # browsable API (?format=api), which may do what the person may do on the pages ---
    "api_tokens:list": Case(STAFF_PAGE, post="L 200 200 200 200", data=_data({"name": "x", "scopes": "users:read"})),
    "api_tokens:revoke": Case(
        "L 405 405 405 405", lambda w: {"public_id": w.api_token.public_id}, post="L 404 R 404 R"
    ),  # the owner's token: theirs and the managers' to revoke, hidden from the others
    "api:schema": Case(STAFF_PAGE),
    "api:docs": Case(STAFF_PAGE),
    "api:clients": Case(API_READ, query=API, post=API_CREATED, data=_data({"name": "New prospect"})),
    "api:client": Case(API_READ, client, query=API, post=API_NO_POST),
    "api:client_contacts": Case(API_READ, client, query=API, post=API_CREATED, data=_contact),
    "api:client_timeline": Case(API_READ, client, query=API, post=API_NO_POST),
    "api:contacts": Case(API_READ, query=API, post=API_NO_POST),
    "api:contact": Case(API_READ, lambda w: {"pk": w.contact.pk}, query=API, post=API_NO_POST),
    "api:inquiries": Case(API_READ, query=API, post=API_NO_POST),
    "api:inquiry": Case(API_READ, inquiry, query=API, post=API_NO_POST),
    "api:inquiry_send_proposal": Case(API_POST_ONLY, inquiry, query=API, post=API_CREATED),
    # Not won yet: refused by the service, as on the page.
    "api:inquiry_mark_delivered": Case(
        API_POST_ONLY, inquiry, query=API, post="401 400 400 400 400", data=_data({"delivered_on": "2026-12-01"})
    ),
    "api:conversations": Case(API_READ, query=API, post=API_NO_POST),
    "api:conversation": Case(API_READ, conversation, query=API, post=API_NO_POST),
    "api:conversation_messages": Case(API_READ, conversation, query=API, post=API_NO_POST),
    "api:conversation_customer_message": Case(
        API_POST_ONLY, conversation, query=API, post=API_CREATED, data=_data({"channel": "phone", "body": "Hi"})
    ),
    "api:conversation_reply": Case(
        API_POST_ONLY, conversation, query=API, post=API_CREATED, data=_data({"channel": "phone", "body": "Called"})
    ),
    "api:conversation_notes": Case(
        API_READ, conversation, query=API, post=API_CREATED, data=_data({"body": "Ask Junho"})
    ),
    "api:message_log": Case(
        API_POST_ONLY,
        query=API,
        post=API_CREATED,
        data=lambda w, u: {"contact": w.contact.pk, "channel": "phone", "body": "Call me"},
    ),
    "api:checkins": Case(API_READ, query=API, post=API_NO_POST),
    "api:checkin": Case(API_READ, checkin, query=API, post=API_NO_POST),
    "api:feedback_list": Case(API_READ, query=API, post=API_NO_POST),
    "api:feedback": Case(API_READ, lambda w: {"pk": w.feedback.pk}, query=API, post=API_NO_POST),
    "api:saved_replies": Case(API_READ, query=API, post=API_NO_POST),
    "api:saved_reply": Case(API_READ, lambda w: {"pk": w.saved_reply.pk}, query=API, post=API_NO_POST),
    "api:articles": Case(API_READ, query=API, post=API_NO_POST),
    "api:article": Case(API_READ, lambda w: {"pk": w.article.pk}, query=API, post=API_NO_POST),
    "api:users": Case(API_READ, query=API, post=API_NO_POST),
    "api:user": Case(API_READ, lambda w: {"pk": w.owner.pk}, query=API, post=API_NO_POST),
    # --- the admin site's own pages (each model's pages follow ADMIN_MANAGER) ---
    "admin:index": Case("A A A A 200", post="A A A A -"),
    # Django's admin login sends a logged-in manager on only for GET; HEAD shows the form.
    "admin:login": Case("200 200 200 200 R", head=PUBLIC),
    # Logged in without admin access, the admin sends you to its index (and from there to its login).
    "admin:logout": Case("A R R R 405", post="A R R R -"),
    "admin:password_change": Case("A A A A 200", post="A A A A -"),
    "admin:password_change_done": Case("A A A A 200"),
    "admin:autocomplete": Case("A A A A 403"),
    "admin:jsi18n": Case("A A A A 200"),
    "admin:view_on_site": Case(
        "A A A A R", lambda w: {"content_type_id": w.conversation_content_type, "object_id": w.conversation.pk}
    ),
    "admin:app_list": Case("A A A A 200", lambda w: {"app_label": "followups"}),
    # The admin's catch-all for unknown admin pages.
    "admin:<admin/(?P<url>.*)$>": Case("A A A A 404", path=lambda w: "/admin/no-such-page/"),
}

# What a manager may do with each model in the admin ("view add change delete"); nobody else
# gets past the admin's login. A model newly registered in the admin fails until it is listed.
ADMIN_MANAGER = {
    "auth.group": "",
    "auth.user": "",
    "axes.accessattempt": "",
    "axes.accessfailurelog": "",
    "axes.accesslog": "",
    "clients.client": "",
    "clients.note": "",
    "clients.tag": "",
    "clients.timelineevent": "",
    "django_celery_beat.clockedschedule": "",
    "django_celery_beat.crontabschedule": "view",
    "django_celery_beat.intervalschedule": "view",
    "django_celery_beat.periodictask": "view change",
    "django_celery_beat.solarschedule": "",
    # Opening hours, closures and targets are edited on /settings/agency/ (which re-plans waits).
    "followups.businesscalendar": "view",
    "followups.checkin": "view",
    "followups.checkinplan": "view add change delete",
    "followups.closureday": "view",
    "followups.conversation": "",
    "followups.feedbackrequest": "view",
    "followups.inboundemail": "",
    "followups.mailimportfailure": "",
    "followups.notification": "view change delete",
    "followups.reminder": "view delete",
    "followups.remindersettings": "view change",  # one row, too
    "followups.responsepolicy": "view",
    "followups.topic": "",
    "inquiries.discoveryquestion": "",
    "inquiries.inquiry": "",
    "inquiries.proposal": "",
}
