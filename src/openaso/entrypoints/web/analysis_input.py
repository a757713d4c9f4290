"""The analysis inputs as a form or a query string gives them (text), read into the services'
values; the API and the pages read them here alike, and each error names its field.

Money is dollars (`250000`, `1250.50`), rates are percentages (`125`, `7.5`), months YYYY-MM.
Options of a simulation are numbered from 1: `option_1_name`, `option_1_specific_deductible`…
"""

from collections.abc import Mapping

from openaso.analytics.months import Month
from openaso.analytics.simulate import StopLossOption
from openaso.core.money import BasisPoints, Cents, parse_amount, parse_percent
from openaso.services.analysis import AnalysisError, RateInputs, month_field
from openaso.services.simulation import MOST_OPTIONS, SimulationInputs

Fields = Mapping[str, str | None]
OPTION_FIELDS = ("name", "specific_deductible", "asd", "aggregate_corridor", "fixed_costs")


def _text(fields: Fields, name: str) -> str:
    return (fields.get(name) or "").strip()


def amount(fields: Fields, name: str) -> Cents | None:
    text = _text(fields, name).replace(",", "").lstrip("$")
    if not text:
        return None
    try:
        cents = parse_amount(text)
    except ValueError as exc:
        raise AnalysisError(f"{name}: {exc}") from None
    if cents < 0:
        raise AnalysisError(f"{name}: expected an amount of zero or more, got {text!r}")
    return cents


def percent(fields: Fields, name: str, default: BasisPoints = 0) -> BasisPoints:
    text = _text(fields, name).rstrip("%")
    if not text:
        return default
    try:
        return parse_percent(text)
    except ValueError as exc:
        raise AnalysisError(f"{name}: {exc}") from None


def whole(fields: Fields, name: str, default: int | None) -> int | None:
    text = _text(fields, name).replace(",", "")
    if not text:
        return default
    if not text.isdigit():
        raise AnalysisError(f"{name}: expected a whole number, got {text!r}")
    return int(text)


def month(fields: Fields, name: str) -> Month | None:
    text = _text(fields, name)
    return month_field(name, text) if text else None


def rate_inputs(fields: Fields) -> RateInputs:
    return RateInputs(
        admin=amount(fields, "admin") or 0,
        specific_premium=amount(fields, "specific_premium") or 0,
        aggregate_premium=amount(fields, "aggregate_premium") or 0,
        other_fees=amount(fields, "other_fees") or 0,
        margin=percent(fields, "margin"),
        trend=percent(fields, "trend"),
        specific_deductible=amount(fields, "specific_deductible"),
        corridor=percent(fields, "aggregate_corridor", 12_500),
        premium_tax=percent(fields, "premium_tax", 200),
        risk_margin=percent(fields, "risk_margin", 300),
        quote=amount(fields, "quote"),
    )


def simulation_inputs(fields: Fields) -> SimulationInputs:
    options = []
    for n in range(1, MOST_OPTIONS + 1):
        key = f"option_{n}_"
        if not any(_text(fields, key + f) for f in OPTION_FIELDS):
            continue  # a blank row of the form: no option
        corridor = _text(fields, key + "aggregate_corridor")
        options.append(
            StopLossOption(
                name=_text(fields, key + "name") or f"option {n}",
                specific_deductible=amount(fields, key + "specific_deductible"),
                asd=amount(fields, key + "asd") or 0,
                aggregate_corridor=percent(fields, key + "aggregate_corridor") / 10_000
                if corridor
                else None,
                fixed_costs=amount(fields, key + "fixed_costs") or 0,
            )
        )
    return SimulationInputs(
        options=tuple(options),
        years=whole(fields, "years", 10_000) or 0,
        seed=whole(fields, "seed", 0) or 0,
        budget=amount(fields, "budget"),
        trend=percent(fields, "trend") / 10_000,
        members=whole(fields, "members", None),
    )
