"""The agency's opening hours: `BusinessCalendar` (a singleton managers edit in the admin) and
`ClosureDay`, and `load_calendar()`, which turns them into the pure `Calendar` that every
business-time computation takes (see business_calendar)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .business_calendar import Calendar

__all__ = [
    "BusinessCalendar",
    "ClosureDay",
]


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _minutes(value: dt.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


class BusinessCalendar(models.Model):
    """The agency's opening hours (wall-clock, in `time_zone`) and public-holiday country.

    One row (pk=1), created on first use with defaults from settings BUSINESS_TIME_ZONE and
    BUSINESS_COUNTRY. A weekday without both times is closed. "Closes" 00:00 means midnight.
    """

    time_zone = models.CharField(_("time zone"), max_length=64, default="")
    country = models.CharField(
        _("public holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 code, e.g. KR. Leave empty to ignore public holidays."),
    )
    subdivision = models.CharField(_("region (for regional holidays)"), max_length=10, blank=True)
    mon_opens = models.TimeField(_("Monday opens"), null=True, blank=True, default=dt.time(9))
    mon_closes = models.TimeField(_("Monday closes"), null=True, blank=True, default=dt.time(18))
    tue_opens = models.TimeField(_("Tuesday opens"), null=True, blank=True, default=dt.time(9))
    tue_closes = models.TimeField(_("Tuesday closes"), null=True, blank=True, default=dt.time(18))
    wed_opens = models.TimeField(_("Wednesday opens"), null=True, blank=True, default=dt.time(9))
    wed_closes = models.TimeField(_("Wednesday closes"), null=True, blank=True, default=dt.time(18))
    thu_opens = models.TimeField(_("Thursday opens"), null=True, blank=True, default=dt.time(9))
    thu_closes = models.TimeField(_("Thursday closes"), null=True, blank=True, default=dt.time(18))
    fri_opens = models.TimeField(_("Friday opens"), null=True, blank=True, default=dt.time(9))
    fri_closes = models.TimeField(_("Friday closes"), null=True, blank=True, default=dt.time(18))
    sat_opens = models.TimeField(_("Saturday opens"), null=True, blank=True)
    sat_closes = models.TimeField(_("Saturday closes"), null=True, blank=True)
    sun_opens = models.TimeField(_("Sunday opens"), null=True, blank=True)
    sun_closes = models.TimeField(_("Sunday closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendar")

    def __str__(self):
        return str(_("Business calendar"))

    @classmethod
    def load(cls) -> "BusinessCalendar":
        calendar, _created = cls.objects.get_or_create(
            pk=1, defaults={"time_zone": settings.BUSINESS_TIME_ZONE, "country": settings.BUSINESS_COUNTRY}
        )
        return calendar

    def weekly_hours(self):
        hours = []
        for day in WEEKDAYS:
            opens, closes = _minutes(getattr(self, f"{day}_opens")), _minutes(getattr(self, f"{day}_closes"))
            if opens is None or closes is None:
                hours.append(None)
            else:
                hours.append((opens, closes or 1440))
        return tuple(hours)

    def clean(self):
        try:
            Calendar(time_zone=self.time_zone, weekly_hours=self.weekly_hours())
        except Exception as exc:  # ZoneInfoNotFoundError, bad hours
            raise ValidationError(_("Check the time zone and that every day opens before it closes.")) from exc
        if self.country:
            import holidays

            if self.country.upper() not in holidays.list_supported_countries():
                raise ValidationError({"country": _("The holidays package does not know this country.")})
            self.country = self.country.upper()

    def as_calendar(self) -> Calendar:
        closures = frozenset(ClosureDay.objects.values_list("date", flat=True))
        return Calendar(
            time_zone=self.time_zone or settings.BUSINESS_TIME_ZONE,
            weekly_hours=self.weekly_hours(),
            country=self.country,
            subdivision=self.subdivision,
            closure_days=closures,
        )


class ClosureDay(models.Model):
    """A day the agency itself is closed (company holiday, workshop), on top of public holidays."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


def load_calendar() -> Calendar:
    """The agency's calendar from the database (two queries)."""
    return BusinessCalendar.load().as_calendar()
