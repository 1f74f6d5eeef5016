"""The list filters for moments: the same text as Django's `date` filter, in the reader's zone and
language, whatever was formatted before (long_moment remembers what it formatted)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

MOMENT = dt.datetime(2026, 12, 3, 4, 5, 30, 123456, tzinfo=dt.UTC)  # 13:05 in Seoul


def render(source: str, language: str, zone: str) -> str:
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        return Template(source).render(Context({"moment": MOMENT}))


def test_long_moment_equals_the_date_filter_in_every_language_and_zone():
    for _ in range(2):  # the second round is served from what the first remembered
        for language in ("ko", "en"):
            for zone in ("Asia/Seoul", "America/New_York", "UTC"):
                expected = render('{{ moment|date:"DATETIME_FORMAT" }}', language, zone)
                assert render("{{ moment|long_moment }}", language, zone) == expected
    assert render("{{ moment|long_moment }}", "ko", "Asia/Seoul") == "2026년 12월 3일 (목) 오후 1:05"
    assert render("{{ moment|long_moment }}", "en", "America/New_York") == "Wed 2 Dec 2026, 23:05"


def test_iso_moment_is_the_local_time_to_the_second():
    assert render("{{ moment|iso_moment }}", "ko", "Asia/Seoul") == "2026-12-03T13:05:30+09:00"
    assert render("{{ moment|iso_moment }}", "en", "America/New_York") == "2026-12-02T23:05:30-05:00"


def test_no_moment_is_an_empty_text():
    with translation.override("ko"):
        assert Template("[{{ none|long_moment }}{{ none|iso_moment }}]").render(Context({"none": None})) == "[]"
