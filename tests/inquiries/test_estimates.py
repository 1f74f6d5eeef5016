"""PERT and range arithmetic with exact expected values."""

from decimal import Decimal as D

import pytest

from inquiries import estimates
from inquiries.estimates import Estimate, bundle


def test_item_expected_and_spread_follow_pert():
    e = Estimate("4", "6", "14")
    assert e.expected == D(7)  # (4 + 24 + 14) / 6
    assert e.spread.quantize(D("0.000001")) == D("1.666667")  # (14 - 4) / 6


def test_expected_of_a_symmetric_estimate_is_the_most_likely_value():
    assert Estimate("2", "5", "8").expected == D(5)
    assert Estimate("2", "5", "8").spread == D(1)


def test_bundle_adds_expected_values_and_spreads():
    b = bundle([Estimate("2", "5", "8"), Estimate("4", "6", "14")], hourly_rate="100000", capacity_per_week="40")
    # expected 5 + 7 = 12; spread 1 + 10/6 = 16/6; high = 12 + 32/6 = 17.333…
    assert b.expected == D(12)
    assert b.optimistic == D(6)
    assert estimates.round_hours(b.spread) == D("2.7")
    assert estimates.round_hours(b.high) == D("17.3")
    # low = 12 - 32/6 = 6.666… which is above the optimistic sum 6
    assert estimates.round_hours(b.low) == D("6.7")
    assert b.cost_expected == D(1_200_000)
    assert estimates.round_money(b.cost_high, "KRW") == D(1_733_333)
    assert b.weeks_expected == D("0.3")


def test_range_never_goes_below_the_optimistic_sum():
    # expected (1 + 8 + 10) / 6 = 19/6; spread 9/6; expected - 2 spreads = 1/6 < optimistic 1
    b = bundle([Estimate("1", "2", "10")], hourly_rate="1", capacity_per_week="1")
    assert b.expected - 2 * b.spread < D(1)
    assert b.low == D(1)
    assert b.high == D(19) / D(6) + D(3)


def test_round_numbers_give_exact_costs_and_weeks():
    b = bundle([Estimate("10", "20", "30"), Estimate("20", "40", "60")], hourly_rate="120000", capacity_per_week="80")
    assert b.expected == D(60)
    assert b.spread == D(10)  # 20/6 + 40/6
    assert (b.low, b.high) == (D(40), D(80))
    assert (b.cost_low, b.cost_expected, b.cost_high) == (D(4_800_000), D(7_200_000), D(9_600_000))
    assert (b.weeks_low, b.weeks_expected, b.weeks_high) == (D("0.5"), D("0.75"), D(1))


def test_an_empty_bundle_is_all_zero():
    b = bundle([], hourly_rate="120000", capacity_per_week="80")
    assert (b.expected, b.low, b.high, b.cost_expected) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("must", "total", "warn"),
    [("60", "100", False), ("60.1", "100", True), ("0", "0", False), ("10", "10", True)],
)
def test_must_share_warning_starts_above_sixty_percent(must, total, warn):
    share = estimates.must_share(must_expected=D(must), total_expected=D(total))
    assert estimates.must_share_exceeds_limit(share) is warn


def test_krw_has_no_decimals_and_thousands_separators():
    assert estimates.format_money(D("1234567.5"), "KRW") == "KRW 1,234,568"
    assert estimates.format_money(D("1234.5"), "USD") == "USD 1,234.50"
    assert estimates.format_money(D("0"), "EUR") == "EUR 0.00"


@pytest.mark.parametrize(
    ("o", "m", "p", "messages"),
    [
        ("-1", "2", "3", ["Estimates cannot be negative."]),
        ("5", "4", "6", ["The optimistic estimate cannot be larger than the most likely one."]),
        ("1", "7", "6", ["The most likely estimate cannot be larger than the pessimistic one."]),
        ("1", "1", "1", []),
    ],
)
def test_estimate_errors_explain_what_is_wrong(o, m, p, messages):
    assert estimates.estimate_errors(D(o), D(m), D(p)) == messages
