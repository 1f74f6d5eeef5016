"""The forms of /settings/agency/. Every error is put on the field it is about: a bad interval
marks that interval's own time fields, a bad origin the origins field with the line named."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import ResponseTier

from ..conversations.hours import ClosureDay, ExtraOpeningDay, Weekday, interval_minutes
from ..conversations.models import Channel

# Opening intervals offered per weekday (a morning, an afternoon and an evening are enough).
SLOTS = 3
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def slot_name(weekday: int, slot: int, edge: str) -> str:
    return f"d{weekday}_{slot}_{edge}"


def hours_minutes(minutes: int) -> str:
    """A target as people say it: "4 h 30 min" of business time."""
    return _("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}


class AgencyIdentityForm(forms.Form):
    name = forms.CharField(label=_("Agency name"), max_length=100, required=False)
    sender_name = forms.CharField(
        label=_("Sender name of customer email"),
        max_length=100,
        required=False,
        help_text=_("Empty: the agency name."),
    )
    sender_address = forms.EmailField(label=_("Sender address of customer email"), required=False)


class AgencyHoursForm(forms.Form):
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, help_text=_("For example Asia/Seoul."))
    country = forms.CharField(
        label=_("Public holidays of country"),
        max_length=2,
        required=False,
        help_text=_("ISO 3166 code, e.g. KR. Leave empty to ignore public holidays."),
    )
    subdivision = forms.CharField(label=_("Region (for regional holidays)"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for weekday in Weekday:
            for slot in range(1, SLOTS + 1):
                for edge, label in (("opens", _("Opens")), ("closes", _("Closes"))):
                    self.fields[slot_name(weekday, slot, edge)] = forms.TimeField(
                        label=f"{weekday.label} {slot} · {label}", required=False, widget=TIME_INPUT
                    )

    @staticmethod
    def initial_of(calendar, intervals) -> dict:
        initial = {"time_zone": calendar.time_zone, "country": calendar.country, "subdivision": calendar.subdivision}
        used: dict[int, int] = {}
        for row in intervals:
            slot = used[row.weekday] = used.get(row.weekday, 0) + 1
            if slot <= SLOTS:
                initial[slot_name(row.weekday, slot, "opens")] = row.opens
                initial[slot_name(row.weekday, slot, "closes")] = row.closes
        return initial

    def weekdays(self):
        """(label, [((opens field, its value), (closes field, its value)), ...]) per weekday, for
        the template: the value as typed when the form comes back with errors, else HH:MM."""

        def shown(name):
            field = self[name]
            value = field.value()
            return field, value.strftime("%H:%M") if isinstance(value, dt.time) else (value or "")

        return [
            (
                weekday.label,
                [
                    (shown(slot_name(weekday, slot, "opens")), shown(slot_name(weekday, slot, "closes")))
                    for slot in range(1, SLOTS + 1)
                ],
            )
            for weekday in Weekday
        ]

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Unknown time zone. Use a name like Asia/Seoul.")) from None
        return value

    def clean_country(self):
        value = self.cleaned_data["country"].strip().upper()
        if value and value not in holidays.list_supported_countries():
            raise forms.ValidationError(_("The holidays package does not know this country."))
        return value

    def clean(self):
        cleaned = super().clean()
        country, subdivision = cleaned.get("country"), cleaned.get("subdivision", "").strip()
        if subdivision and country and subdivision not in holidays.list_supported_countries()[country]:
            self.add_error("subdivision", _("This country has no such region in the holidays package."))
        elif subdivision and not country and "country" not in self.errors:
            self.add_error("subdivision", _("A region needs a country."))
        cleaned["subdivision"] = subdivision
        weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for weekday in Weekday:
            taken: list[tuple[int, int]] = []
            for slot in range(1, SLOTS + 1):
                opens_name, closes_name = slot_name(weekday, slot, "opens"), slot_name(weekday, slot, "closes")
                if opens_name in self.errors or closes_name in self.errors:
                    continue
                opens, closes = cleaned.get(opens_name), cleaned.get(closes_name)
                if opens is None and closes is None:
                    continue
                if opens is None:
                    self.add_error(opens_name, _("Enter when this interval opens, or clear both times."))
                    continue
                if closes is None:
                    self.add_error(closes_name, _("Enter when this interval closes, or clear both times."))
                    continue
                start, end = interval_minutes(opens, closes)
                if start >= end:
                    self.add_error(closes_name, _("This interval must close after it opens (00:00 is midnight)."))
                    continue
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    self.add_error(opens_name, _("This interval overlaps another one of the same day."))
                    continue
                taken.append((start, end))
                weekly.setdefault(weekday, []).append((opens, closes))
        if not weekly and not any(name.startswith("d") for name in self.errors):
            self.add_error(slot_name(0, 1, "opens"), _("Open at least one interval in the week."))
        cleaned["weekly"] = weekly
        return cleaned


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if ClosureDay.objects.filter(date=day).exists():
            raise forms.ValidationError(_("This day is already a closure day."))
        if ExtraOpeningDay.objects.filter(date=day).exists():
            raise forms.ValidationError(_("This day is an extra opening day: remove that first."))
        return day


class ExtraOpeningDayForm(forms.Form):
    date = forms.DateField(label=_("Open on"), widget=forms.DateInput(attrs={"type": "date"}))
    opens = forms.TimeField(label=_("Opens"), initial=dt.time(9), widget=TIME_INPUT)
    closes = forms.TimeField(
        label=_("Closes"), initial=dt.time(18), widget=TIME_INPUT, help_text=_("00:00 means midnight.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if ExtraOpeningDay.objects.filter(date=day).exists():
            raise forms.ValidationError(_("This day is already an extra opening day."))
        if ClosureDay.objects.filter(date=day).exists():
            raise forms.ValidationError(_("This day is a closure day: remove that first."))
        return day

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens is not None and closes is not None:
            start, end = interval_minutes(opens, closes)
            if start >= end:
                self.add_error("closes", _("This interval must close after it opens (00:00 is midnight)."))
        return cleaned


class DurationField(forms.MultiValueField):
    """Hours and minutes of business time, cleaned to minutes."""

    def __init__(self, **kwargs):
        fields = (forms.IntegerField(min_value=0, max_value=999), forms.IntegerField(min_value=0, max_value=59))
        widget = forms.MultiWidget(
            widgets=[
                forms.NumberInput(attrs={"min": 0, "max": 999, "aria-label": _("hours")}),
                forms.NumberInput(attrs={"min": 0, "max": 59, "aria-label": _("minutes")}),
            ]
        )
        widget.decompress = lambda value: [value // 60, value % 60] if value else [None, None]
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        hours, minutes = (value or 0 for value in data_list)
        total = hours * 60 + minutes
        if total <= 0:
            raise forms.ValidationError(_("Enter a target of at least one minute."))
        return total


class ResponseTargetForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Client tier"), choices=[("", _("Every tier (the default)")), *ResponseTier.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Every channel")), *Channel.choices], required=False
    )
    first_response_minutes = DurationField(
        label=_("First response within (hours, minutes of business time)"),
        help_text=_("Business time: only opening hours count."),
    )
    next_reply_minutes = DurationField(label=_("Next reply within (hours, minutes of business time)"))
    around_the_clock = forms.BooleanField(
        label=_("Count around the clock"), required=False, help_text=_("Ignore opening hours, weekends and holidays.")
    )
    send_acknowledgement = forms.BooleanField(label=_("Send an automatic acknowledgement"), required=False)


class EmbedOriginsForm(forms.Form):
    origins = forms.CharField(
        label=_("Sites that may show the embedded contact form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_("One address a line, like https://www.agency.example. Empty: no site may."),
    )

    def clean_origins(self):
        origins, bad = [], []
        for number, line in enumerate(self.cleaned_data["origins"].splitlines(), start=1):
            origin = line.strip().rstrip("/")
            if not origin:
                continue
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
                bad.append(
                    forms.ValidationError(
                        _("Line %(number)s: %(origin)s is not a site address like https://www.agency.example."),
                        params={"number": number, "origin": line.strip()},
                    )
                )
            elif origin not in origins:
                origins.append(origin)
        if bad:
            raise forms.ValidationError(bad)
        return origins
