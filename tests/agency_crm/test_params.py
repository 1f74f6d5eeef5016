"""The query-parameter parsers every view uses (agency_crm.params): bad values are ignored."""

import datetime as dt

import pytest
from django.http import QueryDict

from agency_crm import params


def query(**values) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in values.items():
        result[key] = value
    return result


@pytest.mark.parametrize(
    "value", ["²", "٣", "１２", "1²", "1\x00", "-1", "0", "1.5", "1e3", " 1", "", "9223372036854775808", "9" * 30]
)
def test_an_id_is_ascii_digits_within_a_bigint(value):
    assert params.integer(query(owner=value), "owner") is None


def test_an_id_parses():
    assert params.integer(query(owner="42"), "owner") == 42
    assert params.integer(query(owner="9223372036854775807"), "owner") == 2**63 - 1
    assert params.integer(query(), "owner") is None


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2024-02-30", "2024-1-5", "²⁰²⁴-01-01", "x" * 10_000])
def test_a_date_outside_the_range_or_malformed_is_ignored(value):
    assert params.date(query(week=value), "week") is None


def test_a_date_parses():
    assert params.date(query(week="2026-11-30"), "week") == dt.date(2026, 11, 30)


def test_text_loses_control_characters_and_is_cut():
    assert params.text(query(q="a\x00b\x1fc\td"), "q") == "abc\td"
    assert len(params.text(query(q="가" * 10_000), "q")) == params.MAX_TEXT_LENGTH
    assert params.text(query(), "q") == ""


def test_a_choice_comes_from_the_allow_list():
    assert params.choice(query(status="open"), "status", {"open", "closed"}) == "open"
    assert params.choice(query(status="open\x00"), "status", {"open", "closed"}, default="x") == "x"
    assert params.choice(query(), "status", {"open"}) == ""


def test_a_flag_is_only_one():
    assert params.flag(query(mine="1"), "mine") is True
    assert params.flag(query(mine="²"), "mine") is False
