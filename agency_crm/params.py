"""Query-string parameters, parsed one way on every page.

Every view reads its filters (`?owner=`, `?status=`, `?page=`, `?q=` ...) through these
functions, and none of them raises: a value that does not parse is ignored and the filter falls
back to its default, as if the parameter were absent. What they guard against:
- `str.isdigit()` and `int()` accept more than ASCII digits ("²".isdigit() is true but int("²")
  fails; int("٣") is 3), so ids are matched against `[0-9]` only;
- PostgreSQL's bigint ends at 2**63 - 1, and its text cannot hold NUL;
- Python's dates end at year 1 and 9999, and a page that shows "the week before" must be able to
  compute it.
Tests: tests/agency_crm/test_params.py, and tests/agency_crm/test_odd_input.py sends odd values
to every parameter of every page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container

# Every id is a BigAutoField (PostgreSQL bigint).
MAX_ID = 2**63 - 1
MAX_TEXT_LENGTH = 200
# Dates a page may be asked about: wide enough for any real record, narrow enough that a week or
# a year either side still exists.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(9000, 12, 31)

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# NUL and the other C0 controls (tab, newline and carriage return are kept) and DEL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """`value` as text without NUL or other control characters, cut to `max_length`."""
    return _CONTROL_CHARACTERS.sub("", value if isinstance(value, str) else "")[:max_length]


def parse_id(value) -> int | None:
    """A positive id written in ASCII digits that fits a bigint, else None."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_date(value, *, minimum: dt.date = MIN_DATE, maximum: dt.date = MAX_DATE) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between `minimum` and `maximum`, else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if minimum <= day <= maximum else None


def text(params, name: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    return clean_text(params.get(name, ""), max_length=max_length)


def integer(params, name: str) -> int | None:
    """An id (or another positive whole number up to a bigint), else None."""
    return parse_id(params.get(name))


def choice(params, name: str, choices: Container[str], *, default: str = "") -> str:
    """The value when it is one of `choices` (an allow-list), else `default`."""
    value = params.get(name)
    return value if isinstance(value, str) and value in choices else default


def flag(params, name: str) -> bool:
    """True only for `name=1`."""
    return params.get(name) == "1"


def date(params, name: str) -> dt.date | None:
    return parse_date(params.get(name))


def page(params, name: str = "page") -> int | None:
    """A page number for Paginator.get_page (None gives the first page, a large one the last)."""
    return parse_id(params.get(name))
