"""/api/v1/: the REST API (agency_crm.api), its OpenAPI schema and its docs page.

The API's views are exempt from the login middleware: they authenticate the token themselves
and answer 401 in JSON. The schema and the docs pages are for signed-in people (session)."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import answers, care, clients, conversations, inquiries, people
from .schema import CachedSchemaView

app_name = "api"


def api(view_class):
    # Explicit, though DRF's as_view() marks it too: the token is checked by the view.
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("clients/", api(clients.ClientList), name="clients"),
    path("clients/<int:pk>/", api(clients.ClientDetail), name="client"),
    path("clients/<int:pk>/contacts/", api(clients.ClientContactList), name="client_contacts"),
    path("clients/<int:pk>/timeline/", api(clients.ClientTimeline), name="client_timeline"),
    path("contacts/", api(clients.ContactList), name="contacts"),
    path("contacts/<int:pk>/", api(clients.ContactDetail), name="contact"),
    path("inquiries/", api(inquiries.InquiryList), name="inquiries"),
    path("inquiries/<int:pk>/", api(inquiries.InquiryDetail), name="inquiry"),
    path("inquiries/<int:pk>/send_proposal/", api(inquiries.ProposalSend), name="inquiry_send_proposal"),
    path("inquiries/<int:pk>/mark_delivered/", api(inquiries.InquiryDelivered), name="inquiry_mark_delivered"),
    path("conversations/", api(conversations.ConversationList), name="conversations"),
    path("conversations/<int:pk>/", api(conversations.ConversationDetail), name="conversation"),
    path("conversations/<int:pk>/messages/", api(conversations.ConversationMessages), name="conversation_messages"),
    path(
        "conversations/<int:pk>/customer_messages/",
        api(conversations.CustomerMessage),
        name="conversation_customer_message",
    ),
    path("conversations/<int:pk>/replies/", api(conversations.Reply), name="conversation_reply"),
    path("conversations/<int:pk>/notes/", api(conversations.ConversationNotes), name="conversation_notes"),
    path("messages/", api(conversations.MessageLog), name="message_log"),
    path("checkins/", api(care.CheckinList), name="checkins"),
    path("checkins/<int:pk>/", api(care.CheckinDetail), name="checkin"),
    path("feedback/", api(care.FeedbackList), name="feedback_list"),
    path("feedback/<int:pk>/", api(care.FeedbackDetail), name="feedback"),
    path("saved_replies/", api(answers.SavedReplyList), name="saved_replies"),
    path("saved_replies/<int:pk>/", api(answers.SavedReplyDetail), name="saved_reply"),
    path("articles/", api(answers.ArticleList), name="articles"),
    path("articles/<int:pk>/", api(answers.ArticleDetail), name="article"),
    path("users/", api(people.UserList), name="users"),
    path("users/<int:pk>/", api(people.UserDetail), name="user"),
    # For signed-in people: the OpenAPI 3 schema (?format=json or yaml) and Swagger UI.
    # (DRF marks its views login_not_required: these two ask for the login page again.)
    path("schema/", login_required(CachedSchemaView.as_view()), name="schema"),
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")),
        name="docs",
    ),
]
