"""Date and time formats per language (settings.FORMAT_MODULE_PATH).

Korean: 2026년 12월 3일 (목) 오후 1:00. English: Thu 3 Dec 2026, 13:00. Django's Korean catalogue
gives the weekday abbreviation as 목요일; ours gives 목 (the msgids below keep those entries in
locale/ko when `make messages` drops unused ones).
"""

from django.utils.translation import gettext_noop

WEEKDAY_ABBREVIATIONS = [
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]
