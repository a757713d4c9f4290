"""Decided lines and their traces as plain values for a page or an API answer (money as
two-decimal strings, accumulator names with their before → after)."""

from collections.abc import Sequence
from typing import Any

from openaso.adapters.db.codec import trace_from_json
from openaso.core.money import format_cents
from openaso.services.ports import StoredLine


def amount(name: str, value: int) -> str:
    """An accumulator's value: a count (`count:` names) or dollars."""
    return str(value) if name.startswith("count:") else format_cents(value)


def trace_steps(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    steps = []
    for step in trace_from_json([list(r) for r in rows]):
        moved = [
            f"{p.key[0]} {p.key[1]} {p.key[3]}: {amount(p.key[3], p.before)}"
            f" → {amount(p.key[3], p.after)}"
            for p in step.accumulators
        ]
        steps.append(
            {
                "step": step.step,
                "description": step.describe(),
                "plan_keys": list(step.plan_keys),
                "accumulators": moved,
            }
        )
    return steps


def decided_line(line: StoredLine) -> dict[str, Any]:
    return {
        "number": line.number,
        "status": line.status,
        "allowed": format_cents(line.allowed),
        "plan_paid": format_cents(line.plan_paid),
        "adjustments": [
            {"group": g, "carc": c, "amount": format_cents(a)} for g, c, a in line.adjustments
        ],
        "remarks": list(line.remarks),
        "trace": trace_steps(line.trace),
    }
