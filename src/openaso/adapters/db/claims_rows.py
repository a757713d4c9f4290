"""How claim rows map to core values and back (shared by the claim repositories)."""

import json
from dataclasses import dataclass
from typing import Any

from openaso.adapters.db import codec
from openaso.core.claims import Claim, DisabilityClaim, Fill, LineReview, ServiceLine
from openaso.core.decision import ClaimDecision, DisabilityDecision, FillDecision

Received = Claim | Fill | DisabilityClaim
Decision = ClaimDecision | FillDecision | DisabilityDecision
DECIDED = ("approved", "denied", "paid")


@dataclass(frozen=True, slots=True)
class LineRow:
    number: int
    status: str
    allowed: int
    plan_paid: int
    adjustments: list[tuple[str, str, int]]
    remarks: list[str]
    benefit: str | None
    trace: list[list[Any]]


COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))  # traces are the bulk of what is written


def header_row(claim: Received, family_id: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": claim.id,
        "member_id": claim.member_id,
        "status": "received",
        "family_id": family_id,
        "decision_no": 0,
        "reprocess": False,
        "network": None,
        "provider": None,
        "detail": None,
        "position": None,
    }
    if isinstance(claim, Claim):
        row.update(
            kind=claim.coverage,
            received=claim.received,
            network=claim.network,
            provider=claim.provider,
        )
    elif isinstance(claim, Fill):
        row.update(kind="rx", received=claim.fill_date, detail=codec.fill_to_json(claim))
    else:
        row.update(
            kind="std", received=claim.disability_start, detail=codec.disability_to_json(claim)
        )
    return row


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def row_to_claim(row: Any, lines: list[ServiceLine], reviews: list[LineReview]) -> Received:
    if row.kind == "rx":
        return codec.fill_from_json(row.id, row.member_id, row.detail)
    if row.kind == "std":
        return codec.disability_from_json(row.id, row.member_id, row.detail)
    return Claim(
        row.id,
        row.member_id,
        row.received,
        row.network,
        row.provider,
        tuple(lines),
        row.kind,
        tuple(reviews),
    )


def decision_rows(decision: Decision) -> list[tuple[Any, ...]]:
    """(number, status, allowed, plan paid, adjustments, remarks, benefit, trace) per line."""
    if isinstance(decision, ClaimDecision):
        return [
            (
                d.number,
                d.status,
                d.allowed,
                d.plan_paid,
                d.adjustments,
                d.remarks,
                d.benefit,
                d.trace,
            )
            for d in decision.lines
        ]
    if isinstance(decision, FillDecision):
        return [
            (
                1,
                decision.status,
                decision.allowed,
                decision.plan_paid,
                decision.adjustments,
                (),
                None,
                decision.trace,
            )
        ]
    adjustments = [("CO", decision.carc, 0)] if decision.carc else []
    return [
        (
            1,
            decision.status,
            decision.amount,
            decision.amount,
            adjustments,
            (),
            None,
            decision.trace,
        )
    ]
