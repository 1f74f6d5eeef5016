"""The admin of agency_crm's own models: none. django-otp registers its devices in the admin;
they are taken out again because two-factor sign-in is managed in the app (/settings/two-factor/,
and /settings/people/ for a colleague who lost their phone), and the admin's device pages would
show a person's secret key to whoever may open them. (django-otp's apps come before agency_crm
in INSTALLED_APPS, so their admin modules have run when this one does.)"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
