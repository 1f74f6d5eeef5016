"""The agency's opening hours: `BusinessCalendar` (a singleton managers edit on /settings/agency/),
its `OpeningInterval` rows (several a weekday: 09:00-12:00 and 13:00-18:00), `ClosureDay` and
`ExtraOpeningDay`, and `load_calendar()`, which turns them into the pure `Calendar` that every
business-time computation takes (see business_calendar)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from .business_calendar import Calendar, DayHours

__all__ = [
    "BusinessCalendar",
    "ClosureDay",
    "ExtraOpeningDay",
    "OpeningInterval",
]


class Weekday(models.IntegerChoices):
    # As date.weekday(): Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def minutes_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def interval_minutes(opens: dt.time, closes: dt.time) -> tuple[int, int]:
    """(opens, closes) in minutes after midnight; "closes" 00:00 means midnight at the day's end."""
    return minutes_of(opens), minutes_of(closes) or 1440


class BusinessCalendar(models.Model):
    """The agency's time zone and public-holiday country; its opening hours are OpeningInterval rows.

    One row (pk=1), created on first use with defaults from settings BUSINESS_TIME_ZONE and
    BUSINESS_COUNTRY.
    """

    time_zone = models.CharField(_("time zone"), max_length=64, default="")
    country = models.CharField(
        _("public holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 code, e.g. KR. Leave empty to ignore public holidays."),
    )
    subdivision = models.CharField(_("region (for regional holidays)"), max_length=10, blank=True)
    # When a manager last saved the hours and the targets on /settings/agency/ (None: never, the
    # defaults apply), for the first-run checklist (setup selectors).
    hours_saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    targets_saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendar")

    def __str__(self):
        return str(_("Business calendar"))

    @classmethod
    def load(cls) -> "BusinessCalendar":
        calendar, created = cls.objects.get_or_create(
            pk=1, defaults={"time_zone": settings.BUSINESS_TIME_ZONE, "country": settings.BUSINESS_COUNTRY}
        )
        if created:
            # A fresh agency opens Monday to Friday 09:00-18:00 until a manager says otherwise.
            OpeningInterval.objects.bulk_create(
                [OpeningInterval(weekday=day, opens=opens, closes=closes) for day, opens, closes in DEFAULT_INTERVALS],
                ignore_conflicts=True,
            )
        return calendar

    def clean(self):
        import holidays

        if self.country:
            self.country = self.country.upper()
            if self.country not in holidays.list_supported_countries():
                raise ValidationError({"country": _("The holidays package does not know this country.")})
            regions = holidays.list_supported_countries()[self.country]
            if self.subdivision and self.subdivision not in regions:
                raise ValidationError({"subdivision": _("This country has no such region in the holidays package.")})
        elif self.subdivision:
            raise ValidationError({"subdivision": _("A region needs a country.")})

    def as_calendar(self) -> Calendar:
        """The pure calendar. One more query: the weekly intervals, closure days and extra
        opening days in one UNION ALL (every page that shows a clock reads them)."""
        weekly: list[list[tuple[int, int]]] = [[] for _day in range(7)]
        closures: set[dt.date] = set()
        extra: dict[dt.date, list[tuple[int, int]]] = {}
        for kind, weekday, day, opens, closes in _calendar_rows():
            if kind == "w":
                weekly[weekday].append(interval_minutes(opens, closes))
            elif kind == "c":
                closures.add(day)
            else:
                extra.setdefault(day, []).append(interval_minutes(opens, closes))
        return Calendar(
            time_zone=self.time_zone or settings.BUSINESS_TIME_ZONE,
            weekly_hours=tuple(tuple(day) for day in weekly),
            country=self.country,
            subdivision=self.subdivision,
            closure_days=frozenset(closures),
            extra_days=tuple((day, tuple(hours)) for day, hours in extra.items()),
        )


# The default week, written by the data migration and by a fresh database's first load.
DEFAULT_INTERVALS: list[tuple[int, dt.time, dt.time]] = [(day, dt.time(9), dt.time(18)) for day in range(5)]


class OpeningInterval(models.Model):
    """One stretch of a weekday during which the agency is open. A weekday without rows is closed."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        # load_calendar reads them all; the settings page lists them by weekday and time.
        ordering = ["weekday", "opens"]
        verbose_name = _("opening interval")
        verbose_name_plural = _("opening intervals")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")) | Q(closes=dt.time(0)), name="opening_interval_opens_first"
            ),
            models.UniqueConstraint(fields=["weekday", "opens"], name="opening_interval_unique_start"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


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


class ExtraOpeningDay(models.Model):
    """A day the agency opens although it is normally closed (a Saturday make-up day, a public
    holiday worked), with that day's hours. A closure day on the same date wins."""

    date = models.DateField(_("date"), unique=True)
    opens = models.TimeField(_("opens"), default=dt.time(9))
    closes = models.TimeField(_("closes"), default=dt.time(18), help_text=_("00:00 means midnight."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("extra opening day")
        verbose_name_plural = _("extra opening days")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")) | Q(closes=dt.time(0)), name="extra_day_opens_first"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.opens:%H:%M}-{self.closes:%H:%M}"


def _calendar_rows():
    """(kind, weekday, date, opens, closes) of every weekly interval ("w"), closure day ("c") and
    extra opening day ("e"), in one query."""
    null_date = Cast(Value(None), models.DateField())
    null_time = Cast(Value(None), models.TimeField())
    null_day = Cast(Value(None), models.IntegerField())
    weekly = OpeningInterval.objects.order_by().values_list(
        Value("w"), Cast("weekday", models.IntegerField()), null_date, "opens", "closes"
    )
    closed = ClosureDay.objects.order_by().values_list(Value("c"), null_day, "date", null_time, null_time)
    extra = ExtraOpeningDay.objects.order_by().values_list(Value("e"), null_day, "date", "opens", "closes")
    return weekly.union(closed, extra, all=True)


def day_hours_of(rows) -> DayHours:
    """The Calendar's hours of some (opens, closes) time pairs, validated (ValueError)."""
    from .business_calendar import day_hours

    return day_hours([interval_minutes(opens, closes) for opens, closes in rows])


def load_calendar() -> Calendar:
    """The agency's calendar from the database (two queries)."""
    return BusinessCalendar.load().as_calendar()
