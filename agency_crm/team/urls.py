from django.urls import path

from .views import people, signin, twofactor

app_name = "team"

urlpatterns = [
    path("settings/people/", people.people, name="people"),
    path("settings/people/invite/", people.invite, name="invite"),
    path("settings/people/invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
    path("settings/people/invitations/<int:pk>/cancel/", people.invitation_cancel, name="invitation_cancel"),
    path("settings/people/<int:user_pk>/role/", people.role, name="role"),
    path("settings/people/<int:user_pk>/deactivate/", people.deactivate, name="deactivate"),
    path("settings/people/<int:user_pk>/two-factor/reset/", people.twofactor_reset, name="twofactor_reset"),
    path("settings/people/two-factor/", people.policy, name="policy"),
    path("settings/people/audit/", people.audit, name="audit"),
    path("join/<str:token>/", people.accept, name="accept"),
    path("settings/two-factor/", twofactor.overview, name="twofactor"),
    path("settings/two-factor/start/", twofactor.start, name="twofactor_start"),
    path("settings/two-factor/setup/", twofactor.setup, name="twofactor_setup"),
    path("settings/two-factor/recovery-codes/", twofactor.recovery_codes, name="twofactor_recovery_codes"),
    path("settings/two-factor/off/", twofactor.turn_off, name="twofactor_off"),
    path("accounts/login/code/", signin.login_code, name="login_code"),
]
