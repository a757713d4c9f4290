"""Money is integer cents; percentages are integer hundredths of a percent (basis points).

One rounding rule for the whole system: a percentage of an amount rounds half up to the cent.
"""

from decimal import Decimal, InvalidOperation

Cents = int
BasisPoints = int  # 20% == 2000; lets a plan say 12.5% without floats

ONE_HUNDRED_PERCENT: BasisPoints = 10_000


def percent_of(amount: Cents, percent: BasisPoints) -> Cents:
    """`amount × percent`, rounded half up to the cent (both non-negative)."""
    if amount < 0 or percent < 0:
        raise ValueError(f"percent_of needs non-negative inputs, got {amount} and {percent}")
    return (amount * percent * 2 + ONE_HUNDRED_PERCENT) // (2 * ONE_HUNDRED_PERCENT)


def ratio_of(amount: Cents, numerator: int, denominator: int) -> Cents:
    """`amount × numerator / denominator`, rounded half up to the cent (all non-negative)."""
    if amount < 0 or numerator < 0 or denominator <= 0:
        raise ValueError(
            f"ratio_of needs non-negative inputs, got {amount}, {numerator}/{denominator}"
        )
    return (amount * numerator * 2 + denominator) // (2 * denominator)


def parse_amount(text: str | int | Decimal) -> Cents:
    """Dollars written with at most two decimals (`30`, `"1250.00"`) → cents.

    Raises ValueError with what was expected; callers add where the value came from.
    """
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"expected an amount in dollars like 1250.00, got {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"expected an amount in dollars like 1250.00, got {text!r}")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"expected at most two decimals, got {text!r}")
    return int(cents)


def parse_percent(text: str | int | Decimal) -> BasisPoints:
    """A percentage with at most two decimals (`20`, `12.5`) → basis points."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"expected a percentage like 20 or 12.5, got {text!r}") from None
    bp = value * 100
    if not value.is_finite() or bp != bp.to_integral_value():
        raise ValueError(f"expected a percentage with at most two decimals, got {text!r}")
    return int(bp)


def format_cents(cents: Cents) -> str:
    """Cents → a decimal string with two places (`-12.05`), for X12, YAML and JSON."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def format_percent(percent: BasisPoints) -> str:
    whole, part = divmod(percent, 100)
    return f"{whole}%" if part == 0 else f"{whole}.{part:02d}".rstrip("0") + "%"
