"""Rich tables for the command line: claim lines, and the trace that explains each."""

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from openaso.adapters.db.codec import trace_from_json
from openaso.core.money import format_cents
from openaso.services.ports import UnitOfWork


def show_claims(
    out: Console,
    claims: Sequence[str],
    new_uow: Callable[[], UnitOfWork],
    trace: bool = False,
) -> None:
    table = Table("claim", "line", "status", "allowed", "plan paid", "adjustments", "remarks")
    traces: list[tuple[str, int, list[list[Any]]]] = []
    with new_uow() as uow:
        for claim_id in claims:
            for line in uow.claims.lines(claim_id):
                codes = ", ".join(f"{g}-{r} {format_cents(a)}" for g, r, a in line.adjustments)
                table.add_row(
                    claim_id,
                    str(line.number),
                    line.status,
                    format_cents(line.allowed),
                    format_cents(line.plan_paid),
                    codes,
                    " ".join(line.remarks),
                )
                traces.append((claim_id, line.number, list(getattr(line, "trace", []))))
    out.print(table)
    if trace:
        for claim_id, number, steps in traces:
            show_trace(out, f"{claim_id} line {number}", steps)


def show_trace(out: Console, title: str, rows: list[list[Any]]) -> None:
    """Each step in words, the plan keys it read, and the accumulators it moved."""
    table = Table("step", "what happened", "plan keys read", "accumulators", title=title)
    for step in trace_from_json(rows):
        moved = "\n".join(
            f"{kind} {holder} {name}: {_amount(name, p.before)} → {_amount(name, p.after)}"
            for p in step.accumulators
            for kind, holder, _, name in [p.key]
        )
        table.add_row(step.step, step.describe(), "\n".join(step.plan_keys), moved)
    out.print(table)


def _amount(name: str, value: int) -> str:
    return str(value) if name.startswith("count:") else format_cents(value)
