"""Validated value types for documents people write: dollars, percentages, codes."""

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict

from openaso.core.money import parse_amount, parse_percent


def _dollars(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("expected an amount in dollars like 1250.00")
    cents = parse_amount(str(value))
    if cents < 0:
        raise ValueError("expected an amount of zero or more")
    return cents


def _percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("expected a percentage like 20")
    bp = parse_percent(str(value))
    if not 0 <= bp <= 10_000:
        raise ValueError("expected a percentage from 0 to 100")
    return bp


def _any_percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("expected a percentage like 140")
    bp = parse_percent(str(value))
    if bp <= 0:
        raise ValueError("expected a percentage above 0")
    return bp


Dollars = Annotated[int, BeforeValidator(_dollars)]
"""Dollars in the document, cents in Python."""
Percent = Annotated[int, BeforeValidator(_percent)]
"""A member's share, 0-100%, in basis points."""
PricingPercent = Annotated[int, BeforeValidator(_any_percent)]
"""A pricing percentage (may exceed 100), in basis points."""

STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
