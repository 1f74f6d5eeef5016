"""The clock in words, translated once per page and formatted per row, in the reader's language."""

import pytest
from django.utils import translation

from followups.conversations.clock_words import ClockWords
from followups.conversations.selectors import ClockState
from followups.templatetags.followups_tags import business_duration

LATE = ClockState(waiting_business_seconds=23 * 3600 + 5 * 60, left_business_seconds=-15 * 3600, overdue=True)
SOON = ClockState(waiting_business_seconds=10 * 60, left_business_seconds=7 * 3600 + 60, overdue=False)


@pytest.mark.parametrize(
    ("language", "late_badge", "soon_badge", "late_waited", "soon_waited"),
    [
        ("en", "Overdue by 15h 00m", "7h 01m left", "waiting 23h 05m (business)", "waiting 10m (business)"),
        ("ko", "15시간 00분 기한 초과", "7시간 01분 남음", "대기 23시간 05분(업무 시간)", "대기 10분(업무 시간)"),
    ],
)
def test_the_clock_reads_in_the_language_active_when_the_words_were_made(
    language, late_badge, soon_badge, late_waited, soon_waited
):
    with translation.override(language):
        words = ClockWords()
    # Formatting later, in another language, keeps the words of the page's reader.
    with translation.override("en" if language == "ko" else "ko"):
        assert [words.badge(LATE), words.badge(SOON)] == [late_badge, soon_badge]
        assert [words.waited(LATE), words.waited(SOON)] == [late_waited, soon_waited]


def test_no_clock_says_nothing_and_a_duration_is_its_absolute_value():
    words = ClockWords()
    assert words.badge(None) == words.waited(None) == words.duration(None) == ""
    assert words.duration(-59) == "0m" and words.duration(-3600) == "1h 00m"
    with translation.override("ko"):
        assert business_duration(5400) == "1시간 30분"
