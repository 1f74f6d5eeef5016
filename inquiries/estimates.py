"""Three-point (PERT) estimate arithmetic, bundles ("car" / "flying car") and money formatting.

Pure functions on Decimals; no database. Hours are kept exact until they are shown.

- Item: expected E = (O + 4M + P) / 6, spread S = (P - O) / 6.
- Bundle: expected = sum of E; spread = sum of S (we add spreads instead of the root of the sum of
  squares on purpose: one team's estimates err in the same direction, and the wider range is
  the honest one); range = expected +/- 2 spreads, never below the sum of optimistic hours.
- Cost = hours x hourly rate; calendar weeks = hours / team capacity per week.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

SIX = Decimal(6)
TWO = Decimal(2)
MUST_SHARE_LIMIT = Decimal("0.6")

# ISO 4217 currencies shown without minor units.
ZERO_DECIMAL_CURRENCIES = {"KRW", "JPY", "VND", "CLP", "ISK", "TWD", "HUF", "UGX", "PYG"}


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Estimate:
    optimistic: Decimal
    likely: Decimal
    pessimistic: Decimal

    def __post_init__(self):
        object.__setattr__(self, "optimistic", _d(self.optimistic))
        object.__setattr__(self, "likely", _d(self.likely))
        object.__setattr__(self, "pessimistic", _d(self.pessimistic))

    @property
    def expected(self) -> Decimal:
        with localcontext(prec=34):
            return (self.optimistic + 4 * self.likely + self.pessimistic) / SIX

    @property
    def spread(self) -> Decimal:
        with localcontext(prec=34):
            return (self.pessimistic - self.optimistic) / SIX


def estimate_errors(optimistic, likely, pessimistic) -> list[str]:
    """Messages for an invalid three-point estimate (empty when valid). Used by forms."""
    from django.utils.translation import gettext as _

    errors = []
    if min(optimistic, likely, pessimistic) < 0:
        errors.append(_("Estimates cannot be negative."))
    if optimistic > likely:
        errors.append(_("The optimistic estimate cannot be larger than the most likely one."))
    if likely > pessimistic:
        errors.append(_("The most likely estimate cannot be larger than the pessimistic one."))
    return errors


@dataclass(frozen=True)
class Bundle:
    """A set of items priced together: expected hours, a range, cost and calendar weeks."""

    optimistic: Decimal
    expected: Decimal
    spread: Decimal
    hourly_rate: Decimal
    capacity_per_week: Decimal
    item_count: int

    @property
    def low(self) -> Decimal:
        return max(self.expected - TWO * self.spread, self.optimistic)

    @property
    def high(self) -> Decimal:
        return self.expected + TWO * self.spread

    def cost(self, hours: Decimal) -> Decimal:
        with localcontext(prec=34):
            return hours * self.hourly_rate

    @property
    def cost_expected(self) -> Decimal:
        return self.cost(self.expected)

    @property
    def cost_low(self) -> Decimal:
        return self.cost(self.low)

    @property
    def cost_high(self) -> Decimal:
        return self.cost(self.high)

    def weeks(self, hours: Decimal) -> Decimal:
        with localcontext(prec=34):
            return hours / self.capacity_per_week

    @property
    def weeks_expected(self) -> Decimal:
        return self.weeks(self.expected)

    @property
    def weeks_low(self) -> Decimal:
        return self.weeks(self.low)

    @property
    def weeks_high(self) -> Decimal:
        return self.weeks(self.high)


def bundle(estimates, *, hourly_rate, capacity_per_week) -> Bundle:
    estimates = list(estimates)
    with localcontext(prec=34):
        return Bundle(
            optimistic=sum((e.optimistic for e in estimates), Decimal(0)),
            expected=sum((e.expected for e in estimates), Decimal(0)),
            spread=sum((e.spread for e in estimates), Decimal(0)),
            hourly_rate=_d(hourly_rate),
            capacity_per_week=_d(capacity_per_week),
            item_count=len(estimates),
        )


def must_share(*, must_expected: Decimal, total_expected: Decimal) -> Decimal | None:
    """Share of the flying car's expected effort taken by Musts (None when there is no effort)."""
    if total_expected <= 0:
        return None
    with localcontext(prec=34):
        return must_expected / total_expected


def must_share_exceeds_limit(share: Decimal | None) -> bool:
    """MoSCoW's rule of thumb: Musts above 60% of the effort leave no room for contingency."""
    return share is not None and share > MUST_SHARE_LIMIT


def round_hours(hours: Decimal) -> Decimal:
    return _d(hours).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def round_money(amount: Decimal, currency: str) -> Decimal:
    exponent = Decimal(1) if currency.upper() in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return _d(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None, currency: str) -> str:
    """KRW 1,234,567 / USD 1,234.50 (thousands separators; minor units only where they exist)."""
    if amount is None:
        return ""
    rounded = round_money(amount, currency)
    places = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return f"{currency.upper()} {rounded:,.{places}f}"
