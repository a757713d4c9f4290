"""Core values ⇄ JSON columns (traces, adjustments, fills and disability claims)."""

from datetime import date
from typing import Any

from openaso.core.accumulators import Posting
from openaso.core.claims import DisabilityClaim, Fill
from openaso.core.decision import Adjustment, TraceStep


def trace_from_json(rows: list[list[Any]]) -> tuple[TraceStep, ...]:
    """A stored trace back to core values.

    Traces are stored as the JSON arrays their NamedTuples encode to (`json.dumps` writes a
    NamedTuple as an array): [step, note, plan keys, amounts, postings], compact and fast.
    """
    return tuple(
        TraceStep(
            step,
            note,
            tuple(keys),
            tuple((name, cents) for name, cents in amounts),
            tuple(
                Posting(tuple(key), amount, before, line) for key, amount, before, line in postings
            ),
        )
        for step, note, keys, amounts, postings in rows
    )


def adjustments_to_json(adjustments: tuple[Adjustment, ...]) -> list[list[Any]]:
    return [[a.group, a.reason, a.amount] for a in adjustments]


def fill_to_json(fill: Fill) -> dict[str, Any]:
    return {
        "ndc": fill.ndc,
        "fill_date": fill.fill_date.isoformat(),
        "days_supply": fill.days_supply,
        "quantity": fill.quantity,
        "ingredient_cost": fill.ingredient_cost,
        "dispensing_fee": fill.dispensing_fee,
    }


def fill_from_json(claim_id: str, member_id: str, d: dict[str, Any]) -> Fill:
    return Fill(
        claim_id,
        member_id,
        d["ndc"],
        date.fromisoformat(d["fill_date"]),
        d["days_supply"],
        d["quantity"],
        d["ingredient_cost"],
        d["dispensing_fee"],
    )


def disability_to_json(claim: DisabilityClaim) -> dict[str, Any]:
    return {
        "disability_start": claim.disability_start.isoformat(),
        "disability_end": claim.disability_end.isoformat(),
        "weekly_earnings": claim.weekly_earnings,
    }


def disability_from_json(claim_id: str, member_id: str, d: dict[str, Any]) -> DisabilityClaim:
    return DisabilityClaim(
        claim_id,
        member_id,
        date.fromisoformat(d["disability_start"]),
        date.fromisoformat(d["disability_end"]),
        d["weekly_earnings"],
    )
