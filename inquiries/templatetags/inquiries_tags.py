from decimal import Decimal, InvalidOperation

from django import template

from inquiries import estimates

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def money(value, currency):
    """{{ amount|money:"KRW" }} -> "KRW 1,234,000"; two decimals for currencies that have them."""
    amount = _decimal(value)
    return "" if amount is None else estimates.format_money(amount, str(currency))


@register.filter
def hours(value):
    """Hours rounded to one decimal, without a trailing ".0"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    rounded = estimates.round_hours(amount)
    return f"{rounded:,.0f}" if rounded == rounded.to_integral() else f"{rounded:,.1f}"


@register.inclusion_tag("inquiries/_client_referrals.html")
def client_referrals_card(client):
    """The client page's Referrals card: whom it referred and what that was worth (3 queries)."""
    from inquiries.referrals import client_referrals

    return {"client": client, "referrals": client_referrals(client=client)}
