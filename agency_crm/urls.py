from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import views
from .forms import SiteUrlPasswordResetForm
from .preferences import views as preference_views
from .team.views.signin import PasswordLoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("checklist/dismiss/", views.checklist_hide, name="checklist_dismiss"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Every email the system sends, with previews and retry (agency_crm/outbox).
    path("", include("agency_crm.outbox.urls")),
    # Before Django's own: the reset email's link comes from SITE_URL, not the Host header.
    path(
        "accounts/password_reset/",
        login_not_required(auth_views.PasswordResetView.as_view(form_class=SiteUrlPasswordResetForm)),
        name="password_reset",
    ),
    # Before Django's own: the password, then a code for a person with an authenticator
    # (agency_crm.team.views.signin).
    path("accounts/login/", PasswordLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Visitors on the login page and customers on public links may switch language too.
    # A signed-in person's choice is saved as their setting (agency_crm.preferences).
    path("i18n/setlang/", preference_views.set_language, name="set_language"),
    path("", include("agency_crm.preferences.urls")),
    # The team: invitations, roles, deactivation, two-factor sign-in (agency_crm.team).
    path("", include("agency_crm.team.urls")),
    # Outgoing webhooks (agency_crm.webhooks), for managers.
    path("", include("agency_crm.webhooks.urls")),
    path("admin/", admin.site.urls),
    # The REST API, its schema and docs, and the personal access tokens page (agency_crm.api).
    path("api/v1/", include("agency_crm.api.urls")),
    path("", include("agency_crm.api.token_urls")),
    path("", include("clients.urls")),
    # Before inquiries' own: /inquiries/board/ is not an inquiry's number.
    path("", include("inquiries.board.urls")),
    path("", include("inquiries.urls")),
    path("", include("followups.urls")),
]

admin.site.site_header = settings.AGENCY_NAME
admin.site.site_title = "Gonggam"

# Error pages in the app's layout (agency_crm.errors).
handler400 = "agency_crm.errors.bad_request"
handler403 = "agency_crm.errors.permission_denied"
handler404 = "agency_crm.errors.page_not_found"
handler500 = "agency_crm.errors.server_error"
