"""Amounts on the board: ₩ for won (no minor unit), the currency code before any other amount."""

from decimal import Decimal

from inquiries import estimates

SYMBOLS = {"KRW": "₩"}


def money(amount: Decimal, currency: str) -> str:
    currency = currency.upper()
    if currency in SYMBOLS:
        rounded = estimates.round_money(amount, currency)
        return f"{SYMBOLS[currency]}{rounded:,.0f}"
    return estimates.format_money(amount, currency)


def money_range(low: Decimal | None, high: Decimal | None, currency: str) -> str:
    """₩7,200,000 – ₩9,600,000; one amount when both ends agree; empty without a figure."""
    if low is None or high is None:
        return ""
    if low == high:
        return money(low, currency)
    return f"{money(low, currency)} – {money(high, currency)}"
