"""Reading and writing a person's settings; what an email written for them must follow."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation

from agency_crm.people import AUTO, use_name_order

from .models import Preferences


def preferences_for(user) -> Preferences:
    """The person's settings (unsaved defaults when they never saved any). One query at most,
    none when already loaded."""
    if user is None or not getattr(user, "pk", None):
        return Preferences()
    cached = getattr(user, "_gonggam_preferences", None)
    if cached is not None:
        return cached
    try:
        prefs = user.preferences
    except Preferences.DoesNotExist:
        prefs = Preferences(user=user)
    user._gonggam_preferences = prefs
    return prefs


def preferences_load(users) -> None:
    """Load the settings of many people in one query (for preferences_for)."""
    pending = [u for u in users if getattr(u, "_gonggam_preferences", None) is None]
    if not pending:
        return
    saved = {p.user_id: p for p in Preferences.objects.filter(user_id__in=[u.pk for u in pending])}
    for user in pending:
        user._gonggam_preferences = saved.get(user.pk) or Preferences(user=user)


def language_for(user) -> str:
    """The language pages and emails for this person are in."""
    language = preferences_for(user).language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def name_order_for(user) -> str:
    return preferences_for(user).name_order or AUTO


@contextlib.contextmanager
def for_person(user):
    """Write something for `user` to read (an email): their language and their name order."""
    with translation.override(language_for(user)), use_name_order(name_order_for(user)):
        yield


def preferences_save(*, user, changes: dict) -> Preferences:
    prefs, _created = Preferences.objects.get_or_create(user=user)
    for field, value in changes.items():
        setattr(prefs, field, value)
    prefs.full_clean()
    prefs.save()
    user._gonggam_preferences = prefs
    return prefs


def instant_kinds_for(user) -> set[str]:
    return set(preferences_for(user).instant_kinds or [])


def email_interval_for(user, default_minutes: int) -> int:
    minutes = preferences_for(user).email_interval_minutes
    return minutes if minutes else default_minutes
